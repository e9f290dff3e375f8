import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropFirstIndexes, flattenComposition } from '../../../src/transform/flatten.js';
import { loadFlatFixture, loadFlatFixtures } from './flat-fixtures.js';

describe('dropFirstIndexes', () => {
  it('removes the :0 of first occurrences before /, | and the end, and nothing else', () => {
    expect(dropFirstIndexes('vital_signs/body_temperature:0/any_event:0/temperature|magnitude')).toBe(
      'vital_signs/body_temperature/any_event/temperature|magnitude',
    );
    expect(dropFirstIndexes('a:1/b:0|c')).toBe('a:1/b|c');
    expect(dropFirstIndexes('ctx/participation_identifiers:1|id:0')).toBe(
      'ctx/participation_identifiers:1|id',
    );
    expect(dropFirstIndexes('a:10/b:01/c:0x/d:00')).toBe('a:10/b:01/c:0x/d:00');
    expect(dropFirstIndexes('plain/key|unit')).toBe('plain/key|unit');
  });
});

describe('flattenComposition', () => {
  it('makes the seed sample query shape read the first occurrence (multi_occurrence fixture)', () => {
    const flat = flattenComposition(loadFlatFixture('multi_occurrence.json'));
    expect(flat['encounter/body_temperature/any_event/temperature|magnitude']).toBe(22);
    expect(flat['encounter/body_temperature/any_event:1/temperature|magnitude']).toBe(11);
    expect(flat['encounter/body_temperature:1/any_event/temperature|magnitude']).toBe(22);
    expect(flat['encounter/body_temperature:1/location_of_measurement|other']).toBe('location');
    expect(flat).not.toHaveProperty(['encounter/body_temperature:0/any_event:0/temperature|magnitude']);
  });

  it('keeps every value and the key order of every fixture', () => {
    for (const { name, flat } of loadFlatFixtures()) {
      const out = flattenComposition(flat);
      const inKeys = Object.keys(flat);
      expect(Object.keys(out), name).toEqual(inKeys.map(dropFirstIndexes));
      expect(Object.values(out), name).toEqual(Object.values(flat));
    }
  });

  it('keeps both keys verbatim when shortening would collide', () => {
    const out = flattenComposition({ 'a:0/b': 1, 'a/b': 2, 'a:1/b': 3, 'c:0|d': 4, 'c:0:0|d': 5 });
    // 'a:0/b' would become the existing 'a/b'; 'c:0:0|d' would become the existing 'c:0|d'.
    expect(out).toEqual({ 'a:0/b': 1, 'a/b': 2, 'a:1/b': 3, 'c|d': 4, 'c:0:0|d': 5 });
  });

  it('keeps both keys verbatim when two keys shorten to the same text', () => {
    const out = flattenComposition({ 'x:0/y:0': 1, 'x/y:0': 2 });
    expect(out).toEqual({ 'x:0/y:0': 1, 'x/y:0': 2 });
  });

  it('stores a __proto__ key as data', () => {
    const flat = JSON.parse('{"__proto__:0": 1, "__proto__:1": 2}') as Record<string, unknown>;
    const out = flattenComposition(flat);
    expect(Object.keys(out)).toEqual(['__proto__', '__proto__:1']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('never loses a value and renames only to free, unique short forms (property)', () => {
    const segment = fc.constantFrom('a', 'b', 'a:0', 'a:1', 'b:0', 'a:0:0', 'a:00', 'b:10');
    const key = fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '|c', '|c:0', '|c:1'))
      .map(([segs, attr]) => segs.join('/') + attr);
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 12 }), (keys) => {
        const flat = Object.fromEntries(keys.map((k, i) => [k, i]));
        const out = flattenComposition(flat);
        const outKeys = Object.keys(out);
        expect(outKeys).toHaveLength(keys.length);
        expect(Object.values(out)).toEqual(keys.map((_, i) => i));
        keys.forEach((k, i) => {
          const short = dropFirstIndexes(k);
          const shortIsFree =
            !keys.includes(short) && keys.filter((o) => dropFirstIndexes(o) === short).length === 1;
          expect(outKeys[i]).toBe(shortIsFree ? short : k);
        });
      }),
    );
  });
});
