import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  checksumOf,
  createTransformer,
  transformComposition,
} from '../../../src/transform/index.js';
import { loadFlatFixtures } from './flat-fixtures.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('transformComposition', () => {
  it('preserve stores the object as parsed, server key order included', () => {
    for (const { name, text, flat } of loadFlatFixtures()) {
      const out = transformComposition(flat, 'preserve');
      expect(Object.keys(out.content), name).toEqual(Object.keys(JSON.parse(text)));
      expect(out.content, name).toEqual(JSON.parse(text));
    }
  });

  it('serialises once: json is the canonical text of content and the checksum is its SHA-256', () => {
    for (const format of ['preserve', 'flatten'] as const) {
      for (const { name, flat } of loadFlatFixtures()) {
        const out = transformComposition(flat, format);
        expect(JSON.parse(out.json), name).toEqual(out.content);
        expect(out.json, name).toBe(canonicalJson(out.content));
        expect(out.checksum, name).toBe(sha256(out.json));
        // What verify does: re-read the stored JSON and recompute.
        expect(checksumOf(JSON.parse(out.json)), name).toBe(out.checksum);
      }
    }
  });

  it('flatten changes the checksum exactly when it changes a key', () => {
    for (const { name, flat } of loadFlatFixtures()) {
      const flattened = transformComposition(flat, 'flatten');
      const preserved = transformComposition(flat, 'preserve');
      const hasFirstIndex = Object.keys(flat).some((k) => /:0(?=[/|]|$)/.test(k));
      if (hasFirstIndex) expect(flattened.checksum, name).not.toBe(preserved.checksum);
      else expect(flattened.checksum, name).toBe(preserved.checksum);
    }
  });

  it('handles nested values (e.g. |raw) through the general canonical path', () => {
    const flat = { 'a:0/b|raw': { z: 1, a: [{ y: 2, x: 3 }] }, 'a:0/c': 'text' };
    const out = transformComposition(flat, 'flatten');
    expect(out.json).toBe('{"a/b|raw":{"a":[{"x":3,"y":2}],"z":1},"a/c":"text"}');
    expect(out.checksum).toBe(sha256(out.json));
  });

  it('writes exactly the canonical JSON for any flat object, __proto__ and undefined values included (property)', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'a:0/b', 'a/b', 'x:0|y', '0', '10'));
    const value = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 15 }),
        (entries) => {
          const flat: Record<string, unknown> = {};
          for (const [k, v] of entries)
            Object.defineProperty(flat, k, {
              value: v,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          for (const format of ['preserve', 'flatten'] as const) {
            const out = transformComposition(flat, format);
            expect(out.json).toBe(canonicalJson(out.content));
            expect(Object.keys(out.content)).toHaveLength(entries.length);
          }
        },
      ),
    );
  });

  it('does not modify its input', () => {
    for (const { name, text, flat } of loadFlatFixtures()) {
      transformComposition(flat, 'flatten');
      expect(flat, name).toEqual(JSON.parse(text));
    }
  });
});

describe('createTransformer', () => {
  it('gives exactly the results of transformComposition, also when its key cache is warm', () => {
    for (const format of ['preserve', 'flatten'] as const) {
      const transform = createTransformer(format);
      for (let round = 0; round < 2; round++) {
        for (const { name, flat } of loadFlatFixtures()) {
          const expected = transformComposition(flat, format);
          const actual = transform(flat);
          expect(actual.json, `${format} ${name}`).toBe(expected.json);
          expect(actual.checksum, `${format} ${name}`).toBe(expected.checksum);
          expect(Object.keys(actual.content), `${format} ${name}`).toEqual(Object.keys(expected.content));
        }
      }
    }
  });
});
