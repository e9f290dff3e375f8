import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../../src/openehr/http/adaptive-limit.js';
import { type Admission, Governor } from '../../../src/openehr/http/governor.js';

/** A governor on a clock the test moves, its debug log and its observer events captured. */
function governed(opts: { max: number; rate?: number; maxPauseMs?: number }) {
  let clock = 0;
  const logs: Array<Record<string, unknown>> = [];
  const events: Array<{ requestsPerSecond: number; concurrency: number }> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const governor = new Governor({
    maxRequestsPerSecond: opts.rate ?? 0,
    maxConcurrency: opts.max,
    maxPauseMs: opts.maxPauseMs ?? 30_000,
    logger: pino({ level: 'debug' }, sink),
    observer: { governor: (e) => events.push(e) },
    now: () => clock,
  });
  const signal = new AbortController().signal;
  /** One fetch admitted at once (a free slot is expected), answered `latencyMs` later with `status`. */
  const fetch = async (status: number | 'error', latencyMs: number, retryAfterMs?: number) => {
    const admission = (await governor.admit('composition', governor.nextPriority(), signal)) as Admission;
    clock += latencyMs;
    governor.done(admission, status, retryAfterMs);
  };
  const concurrency = () => governor.summary().concurrency.final;
  return {
    governor,
    logs,
    events,
    fetch,
    concurrency,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('AdaptiveLimit', () => {
  it('serves waiters by priority, so a retried request goes back ahead of later ones', async () => {
    const slots = new AdaptiveLimit(1);
    const signal = new AbortController().signal;
    expect(slots.acquire(0, signal)).toBeUndefined();
    const order: number[] = [];
    const waits = [7, 3, 9, 5].map((p) => slots.acquire(p, signal)!.then(() => order.push(p)));
    for (let i = 0; i < 4; i++) {
      slots.release();
      await Promise.resolve();
    }
    slots.release();
    await Promise.all(waits);
    expect(order).toEqual([3, 5, 7, 9]);
  });

  it('applies a lower limit as exchanges end and a higher one at once; never below 1 or above max', () => {
    const slots = new AdaptiveLimit(4);
    const signal = new AbortController().signal;
    for (let i = 0; i < 4; i++) expect(slots.acquire(i, signal)).toBeUndefined();
    slots.setLimit(2);
    slots.release();
    slots.release();
    expect(slots.acquire(10, signal)).toBeDefined(); // 2 in flight = the new limit
    slots.setLimit(0);
    expect(slots.limit).toBe(1);
    slots.setLimit(99);
    expect(slots.limit).toBe(4);
  });

  it('drops an aborted waiter with the abort reason', async () => {
    const slots = new AdaptiveLimit(1);
    const controller = new AbortController();
    slots.acquire(0, controller.signal);
    const waiting = slots.acquire(1, controller.signal)!;
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('Governor decisions', () => {
  it('halves concurrency on 429/503 once per round, then grows back by one per healthy round', async () => {
    const g = governed({ max: 8 });
    for (let i = 0; i < 16; i++) await g.fetch(200, 10);
    expect(g.concurrency()).toBe(8);
    await g.fetch(429, 10);
    expect(g.concurrency()).toBe(4);
    // The other answers of the same round (in flight when the server said so) do not cut again.
    await g.fetch(503, 10);
    await g.fetch(429, 10);
    expect(g.concurrency()).toBe(4);
    for (let i = 0; i < 4 + 5 + 6 + 7; i++) await g.fetch(200, 10);
    expect(g.concurrency()).toBe(8);
    const summary = g.governor.summary();
    expect(summary.decreases.overload).toBe(1);
    expect(summary.increases).toBe(4);
    expect(summary.concurrency).toEqual({ max: 8, min: 4, final: 8 });
    expect(g.events.map((e) => e.concurrency)).toEqual([8, 4, 5, 6, 7, 8]);
    const changes = g.logs.filter((l) => l.msg === 'governor: fetch concurrency changed');
    expect(changes[0]).toMatchObject({ level: 20, cause: 'HTTP 429', from: 8, to: 4 });
  });

  it('cuts concurrency when rounds are much slower than the baseline, not for chance failures', async () => {
    const g = governed({ max: 8 });
    for (let i = 0; i < 16; i++) await g.fetch(200, 10);
    for (let i = 0; i < 20; i++) await g.fetch(i % 2 === 0 ? 500 : 'error', 10);
    expect(g.concurrency()).toBe(8);
    // One slow round is noise (a pause in the exporter itself); two in a row are the server queueing.
    for (let i = 0; i < 8; i++) await g.fetch(200, 50);
    expect(g.concurrency()).toBe(8);
    for (let i = 0; i < 8; i++) await g.fetch(200, 50);
    expect(g.concurrency()).toBe(6);
    expect(g.governor.summary().decreases).toEqual({ latency: 1, overload: 0 });
    const cut = g.logs.find((l) => l.cause === 'latency');
    expect(cut).toMatchObject({ from: 8, to: 6, latencyMs: 50, baselineMs: 10 });
  });

  it('ignores a rise of a few milliseconds, however large as a ratio (loopback noise)', async () => {
    const g = governed({ max: 8 });
    for (let i = 0; i < 8; i++) await g.fetch(200, 1);
    for (let i = 0; i < 64; i++) await g.fetch(200, 8);
    expect(g.governor.summary().decreases.latency).toBe(0);
  });

  it('pauses every request on Retry-After once down to one slot (capped at max_delay_ms), rate 0 meanwhile', async () => {
    const g = governed({ max: 2, rate: 20, maxPauseMs: 500 });
    await g.fetch(429, 5, 1000);
    // First the whole client halves its concurrency; the request told to wait waits on its own.
    expect(g.events.at(-1)).toEqual({ requestsPerSecond: 20, concurrency: 1 });
    expect(g.governor.summary().pauses).toBe(0);
    // At one request at a time and still told to wait: everything pauses. (The clock is the test's: it
    // moves past the rate's 50 ms spacing by hand.)
    g.advance(50);
    await g.fetch(503, 5, 1000);
    expect(g.events.at(-1)).toEqual({ requestsPerSecond: 0, concurrency: 1 });
    expect(g.governor.summary()).toMatchObject({ maxRequestsPerSecond: 20, pauses: 1, pausedMs: 500 });
    g.advance(600);
    await g.fetch(200, 5);
    expect(g.events.at(-1)).toEqual({ requestsPerSecond: 20, concurrency: 1 });
    expect(g.logs.some((l) => l.msg === 'governor: server asked to retry later; pausing every request')).toBe(
      true,
    );
  });
});
