import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/transform/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys recursively, inside arrays too, and writes no whitespace', () => {
    const value = { b: 1, a: { d: [{ z: true, y: null }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[{"y":null,"z":true}]},"b":1}');
  });

  it('orders keys by UTF-16 code unit, not by code point or locale', () => {
    // U+1F600 is stored as the surrogate pair D83D DE00, which sorts before U+FFFD by code unit
    // (but after it by code point); upper case sorts before lower case; 'é' (U+00E9) after 'z'.
    const value = { '\uFFFD': 1, '\u{1F600}': 2, z: 3, é: 4, B: 5, a: 6 };
    expect(canonicalJson(value)).toBe('{"B":5,"a":6,"z":3,"é":4,"\u{1F600}":2,"\uFFFD":1}');
  });

  it('writes strings and numbers exactly as JSON.stringify does', () => {
    const value = {
      n: 39.0,
      f: 636.3397240638733,
      e: 1e21,
      s: 'quote " backslash \\ newline \n °C',
      u: '\u2028',
    };
    expect(canonicalJson(value)).toBe(
      `{"e":1e+21,"f":636.3397240638733,"n":39,"s":${JSON.stringify(value.s)},"u":${JSON.stringify('\u2028')}}`,
    );
  });

  it('drops what JSON.stringify drops and keeps array positions as null', () => {
    const value = { a: undefined, b: [undefined, () => 1], c: 1 };
    expect(canonicalJson(value)).toBe('{"b":[null,null],"c":1}');
  });

  it('rejects a bigint and a value without a JSON text', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/i);
    expect(() => canonicalJson({ a: { b: 1n } })).toThrow(/bigint/i);
    expect(() => canonicalJson(undefined)).toThrow(/no JSON representation/);
  });

  it('is a re-ordering of JSON.stringify: both parse to the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('does not depend on key insertion order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict));
      }),
    );
  });
});
