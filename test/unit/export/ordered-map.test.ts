import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapOrdered } from '../../../src/export/ordered-map.js';
import { prefetchOne } from '../../../src/export/prefetch.js';

async function* pagesOf<T>(pages: T[][]): AsyncGenerator<T[]> {
  for (const p of pages) yield p;
}

describe('mapOrdered', () => {
  it('yields results in source order with page boundaries, whatever the completion order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (pages, concurrency) => {
          let n = 0;
          const numbered = pages.map((p) => p.map((delay) => ({ id: n++, delay })));
          const out: Array<{ id: number; last: boolean }> = [];
          for await (const r of mapOrdered(
            pagesOf(numbered),
            async (x) => {
              await sleep(x.delay);
              return x.id;
            },
            { concurrency, maxAhead: 3 },
          )) {
            out.push({ id: r.value, last: r.lastOfPage });
          }
          expect(out.map((o) => o.id)).toEqual(numbered.flat().map((x) => x.id));
          const lastIds = numbered.map((p) => p.at(-1)?.id);
          expect(out.filter((o) => o.last).map((o) => o.id)).toEqual(lastIds);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('runs at most `concurrency` at once and keeps at most about maxAhead items pending', async () => {
    let running = 0;
    let peak = 0;
    let started = 0;
    let consumed = 0;
    let maxLead = 0;
    const pages = [Array.from({ length: 10 }, (_, i) => i), Array.from({ length: 10 }, (_, i) => i + 10)];
    for await (const _ of mapOrdered(
      pagesOf(pages),
      async (x) => {
        started++;
        running++;
        peak = Math.max(peak, running);
        await sleep(1);
        running--;
        return x;
      },
      { concurrency: 3, maxAhead: 5 },
    )) {
      consumed++;
      maxLead = Math.max(maxLead, started - consumed);
    }
    expect(peak).toBeLessThanOrEqual(3);
    expect(consumed).toBe(20);
    // A page is pulled while fewer than maxAhead are queued: at most maxAhead - 1 + one page ahead.
    expect(maxLead).toBeLessThanOrEqual(5 - 1 + 10);
  });

  it('surfaces a rejection in order and closes the source', async () => {
    let closed = false;
    async function* src() {
      try {
        yield [1, 2, 3];
        yield [4];
      } finally {
        closed = true;
      }
    }
    const seen: number[] = [];
    await expect(async () => {
      for await (const r of mapOrdered(
        src(),
        async (x) => {
          if (x === 2) throw new Error('two');
          return x;
        },
        { concurrency: 2, maxAhead: 10 },
      )) {
        seen.push(r.value);
      }
    }).rejects.toThrow('two');
    expect(seen).toEqual([1]);
    expect(closed).toBe(true);
  });
});

describe('prefetchOne', () => {
  it('requests the next element while the consumer works on the current one', async () => {
    const log: string[] = [];
    async function* src() {
      for (let i = 0; i < 3; i++) {
        log.push(`produce ${i}`);
        yield i;
      }
    }
    for await (const x of prefetchOne(src())) {
      await sleep(1);
      log.push(`consume ${x}`);
    }
    expect(log.indexOf('produce 1')).toBeLessThan(log.indexOf('consume 0'));
    expect(log.indexOf('produce 2')).toBeLessThan(log.indexOf('consume 1'));
    expect(log.filter((l) => l.startsWith('consume'))).toHaveLength(3);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* src() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const x of prefetchOne(src())) if (x === 2) break;
    expect(closed).toBe(true);
  });
});
