import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scramble, unscramble } from '../../../sim/population/hash.js';
import { indexOfId, isUuid, makeId } from '../../../sim/population/ids.js';
import { formatCommitTime, formatWithOffset, parseInstantUs } from '../../../sim/time/iso.js';

describe('ISO date-times', () => {
  it('formats commit times like EHRbase: 1–6 fraction digits, trailing zeros dropped, Z', () => {
    const us = parseInstantUs('2024-03-06T13:08:16.216020Z');
    expect(formatCommitTime(us)).toBe('2024-03-06T13:08:16.21602Z');
    expect(formatCommitTime(parseInstantUs('2024-03-06T13:08:16Z'))).toBe('2024-03-06T13:08:16Z');
    expect(formatCommitTime(parseInstantUs('2024-03-06T13:08:16.1Z'))).toBe('2024-03-06T13:08:16.1Z');
  });

  it('reads offsets, comma decimals and dates as instants', () => {
    expect(parseInstantUs('2020-10-06T13:30:34,314872+02:00')).toBe(
      parseInstantUs('2020-10-06T11:30:34.314872Z'),
    );
    expect(parseInstantUs('2019-01-14T18:36:49,294+00:00')).toBe(
      Date.UTC(2019, 0, 14, 18, 36, 49, 294) * 1000,
    );
    expect(parseInstantUs('2024-01-01')).toBe(Date.UTC(2024, 0, 1) * 1000);
    expect(parseInstantUs('yesterday')).toBeNaN();
  });

  it('round-trips formatted clinical times with an offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: -12, max: 14 }),
        (ms, h) => {
          const text = formatWithOffset(ms * 1000, h * 60);
          expect(parseInstantUs(text)).toBe(ms * 1000);
          expect(formatCommitTime(ms * 1000).endsWith('Z')).toBe(true);
        },
      ),
    );
  });
});

describe('generated ids', () => {
  it('are uuids that map back to their index without a table', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0 }), fc.integer({ min: 0, max: 2 ** 31 }), (seed, index) => {
        const id = makeId(seed, 'composition', index);
        expect(isUuid(id)).toBe(true);
        expect(indexOfId(seed, 'composition', id, 2 ** 32)).toBe(index);
        expect(indexOfId(seed, 'ehr', id, 2 ** 32)).toBe(-1);
      }),
    );
  });

  it('scramble is a bijection', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (x, key) => {
          expect(unscramble(scramble(x, key), key)).toBe(x);
        },
      ),
    );
  });

  it('differ per seed and reject ids beyond the population', () => {
    expect(makeId(1, 'ehr', 5)).not.toBe(makeId(2, 'ehr', 5));
    const id = makeId(7, 'ehr', 500);
    expect(indexOfId(7, 'ehr', id, 501)).toBe(500);
    expect(indexOfId(7, 'ehr', id, 500)).toBe(-1);
    expect(indexOfId(7, 'ehr', 'not-a-uuid', 1000)).toBe(-1);
  });
});
