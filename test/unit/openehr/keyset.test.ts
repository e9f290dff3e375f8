import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantNanos } from '../../../src/openehr/aql/instant.js';
import { type KeyedRow, Keyset } from '../../../src/openehr/aql/keyset.js';

/** What the server does for our discovery query: `time >= since`, ordered by (time, uid), offset/fetch. */
function serverPage(rows: KeyedRow[], since: string | undefined, offset: number, fetch: number): KeyedRow[] {
  const s = since === undefined ? undefined : instantNanos(since)!;
  return rows
    .filter((r) => r.time !== undefined && (s === undefined || instantNanos(r.time)! >= s))
    .sort((a, b) => {
      const ta = instantNanos(a.time!)!;
      const tb = instantNanos(b.time!)!;
      return ta !== tb ? (ta < tb ? -1 : 1) : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
    })
    .slice(offset, offset + fetch);
}

const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString();

/** Drives a Keyset against the rows; `between` may change the rows after each page. */
function drain(rows: KeyedRow[], fetch: number, between: (page: number) => void = () => {}, since?: string) {
  const keyset = new Keyset(since);
  const out: KeyedRow[] = [];
  for (let page = 0; page < 10_000; page++) {
    const verdict = keyset.accept(serverPage(rows, keyset.since(), keyset.offset(), fetch), fetch);
    out.push(...verdict.fresh);
    if (verdict.done) return out;
    between(page);
  }
  throw new Error('no progress');
}

describe('keyset discovery paging', () => {
  it('yields every row once in order across pages', () => {
    const rows = Array.from({ length: 23 }, (_, i) => ({
      uid: `u${String(i).padStart(2, '0')}`,
      time: at(i),
    }));
    expect(drain(rows, 5).map((r) => r.uid)).toEqual(rows.map((r) => r.uid));
  });

  it('gets through a tie larger than a page', () => {
    const rows = [
      { uid: 'a', time: at(1) },
      ...Array.from({ length: 12 }, (_, i) => ({ uid: `t${String(i).padStart(2, '0')}`, time: at(2) })),
      { uid: 'z', time: at(3) },
    ];
    const out = drain(rows, 4);
    expect(out.map((r) => r.uid)).toEqual(rows.map((r) => r.uid));
  });

  it('does not lose or repeat rows when commits land between pages', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ uid: `u${i}`, time: at(i) }));
    let next = 100;
    const out = drain(rows, 3, () => {
      rows.push({ uid: `n${next}`, time: at(next) });
      next++;
    });
    const uids = out.map((r) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (let i = 0; i < 10; i++) expect(uids).toContain(`u${i}`);
  });

  it('keeps unchanged rows when others are updated (moved to a later time) between pages', () => {
    const rows: KeyedRow[] = Array.from({ length: 12 }, (_, i) => ({
      uid: `u${String(i).padStart(2, '0')}::s::1`,
      time: at(i),
    }));
    let clock = 100;
    const out = drain(rows, 4, (page) => {
      // update one already-seen composition: old version disappears, new version appears "now"
      const victim = rows.findIndex((r) => r.uid === `u0${page}::s::1`);
      if (victim >= 0) {
        rows.splice(victim, 1);
        rows.push({ uid: `u0${page}::s::2`, time: at(clock++) });
      }
    });
    const uids = out.map((r) => r.uid);
    for (let i = 0; i < 12; i++) {
      expect(uids.some((u) => u.startsWith(`u${String(i).padStart(2, '0')}::`))).toBe(true);
    }
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('counts rows without a time instead of yielding them', () => {
    const keyset = new Keyset('2025-01-01T00:00:00Z');
    expect(keyset.since()).toBe('2025-01-01T00:00:00Z');
    const verdict = keyset.accept(
      [
        { uid: 'a', time: at(2) },
        { uid: 'b', time: at(3) },
        { uid: 'x', time: undefined },
      ],
      10,
    );
    expect(verdict.fresh.map((r) => r.uid)).toEqual(['a', 'b']);
    expect(verdict.untimed).toBe(1);
    expect(verdict.done).toBe(true);
  });

  it('rejects a since that is not a date-time', () => {
    expect(() => new Keyset('last tuesday')).toThrow(/not an ISO-8601/);
  });

  it('is complete and duplicate-free for any ties, page sizes and concurrent commits (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 20 }),
        (seconds, fetch, commitsPerPage) => {
          const rows: KeyedRow[] = seconds.map((s, i) => ({
            uid: `u${String(i).padStart(3, '0')}`,
            time: at(s),
          }));
          const original = new Set(rows.map((r) => r.uid));
          let n = 0;
          const out = drain(rows, fetch, (page) => {
            for (let k = 0; k < (commitsPerPage[page] ?? 0); k++)
              rows.push({ uid: `n${n++}`, time: at(1000 + n) });
          });
          const uids = out.map((r) => r.uid);
          expect(new Set(uids).size).toBe(uids.length);
          for (const uid of original) expect(uids).toContain(uid);
          const times = out.map((r) => instantNanos(r.time!)!);
          for (let i = 1; i < times.length; i++) expect(times[i]! >= times[i - 1]!).toBe(true);
        },
      ),
    );
  });
});
