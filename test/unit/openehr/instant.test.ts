import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, instantNanos } from '../../../src/openehr/aql/instant.js';

describe('ISO instants as nanoseconds', () => {
  it('compares across offsets and fraction lengths', () => {
    expect(instantNanos('2020-05-11T22:53:12.039139+02:00')).toBe(
      instantNanos('2020-05-11T20:53:12.039139Z'),
    );
    expect(instantNanos('2024-03-06T13:08:16.21602Z')).toBe(instantNanos('2024-03-06T13:08:16.216020000Z'));
    expect(instantNanos('2024-03-06T13:08:16,5Z')).toBe(instantNanos('2024-03-06T13:08:16.500Z'));
    expect(instantNanos('2024-03-06T13:08:16Z')! < instantNanos('2024-03-06T13:08:16.000000001Z')!).toBe(
      true,
    );
    expect(instantNanos('2024-03-06T13:08:16+0100')).toBe(instantNanos('2024-03-06T12:08:16Z'));
    expect(instantNanos('2024-03-06T13:08:16')).toBe(instantNanos('2024-03-06T13:08:16Z'));
  });

  it('rejects what is not a date-time', () => {
    expect(instantNanos('yesterday')).toBeUndefined();
    expect(instantNanos('2024-13-45T99:00:00Z')).toBeUndefined();
  });

  it('orders like the instants they denote (property)', () => {
    const ms = fc.integer({ min: 0, max: 4_000_000_000_000 });
    fc.assert(
      fc.property(ms, ms, fc.integer({ min: 0, max: 999_999 }), (a, b, nanos) => {
        const ia = instantNanos(
          new Date(a).toISOString().replace('Z', `${String(nanos).padStart(6, '0')}Z`),
        )!;
        const ib = instantNanos(new Date(b).toISOString())!;
        if (a < b) expect(ia < ib).toBe(true);
        if (a > b) expect(ia > ib).toBe(true);
      }),
    );
  });

  it('breaks time ties by uid', () => {
    expect(compareKeys({ t: 1n, uid: 'b' }, { t: 1n, uid: 'a' })).toBe(1);
    expect(compareKeys({ t: 1n, uid: 'b' }, { t: 2n, uid: 'a' })).toBe(-1);
    expect(compareKeys({ t: 1n, uid: 'a' }, { t: 1n, uid: 'a' })).toBe(0);
  });
});
