import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exportWith, planExport } from '../../../src/app/export.js';
import { verifyExport } from '../../../src/app/verify.js';
import { openPrivacy } from '../../../src/content/index.js';
import type { AppContext } from '../../../src/context.js';
import { type ExportSummary, type ProgressSink, silentProgress } from '../../../src/export/types.js';
import type { RunObserver } from '../../../src/observer.js';
import { createOpenEhrClient } from '../../../src/openehr/index.js';
import type { OpenEhrClient } from '../../../src/openehr/types.js';
import { openStore } from '../../../src/store/index.js';
import type { BatchWrite, Store } from '../../../src/store/types.js';
import { createTestDatabase } from '../../support/db.js';
import { contextFor, expectExactEquality, startSim, tomlFor } from './harness.js';

// Issue 22, item 3: the request governor against the simulator's fault injection. What is checked is
// counted (requests per second at the simulator, the governor's own observer events, the order of the
// batches written), never timed.

let sim: Simulator;
let template: string;
let live: number;

beforeAll(async () => {
  sim = await startSim({ seed: 2201, ehrs: 20, compositions: 400 });
  const byTemplate = sim.control.totals().liveByTemplate;
  [template, live] = Object.entries(byTemplate).sort((a, b) => b[1] - a[1])[0]!;
});
afterAll(async () => {
  await sim?.close();
});

const NO_FAULTS = { errorRates: { 500: 0, 502: 0, 503: 0, 429: 0 }, resetRate: 0, truncateRate: 0 };

interface GovernorEvent {
  requestsPerSecond: number;
  concurrency: number;
}

/** One export over a client and store this test opens, so it can watch the client and the batches. */
async function exportWatched(
  ctx: AppContext,
  opts: { progress?: ProgressSink } = {},
): Promise<{ summary: ExportSummary; batches: BatchWrite[]; client: OpenEhrClient }> {
  const privacy = await openPrivacy(ctx, { forVerify: false });
  const client = createOpenEhrClient(ctx);
  const store = await openStore(ctx);
  const batches: BatchWrite[] = [];
  // The real store, with each batch noted in the order the engine hands them over (= commit order).
  const watched = new Proxy(store, {
    get(target, key) {
      if (key === 'writeBatch') {
        return (batch: BatchWrite, order?: Parameters<Store['writeBatch']>[1]) => {
          batches.push(batch);
          return target.writeBatch(batch, order);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  try {
    const summary = await exportWith(
      ctx,
      { client, privacy, target: { dryRun: false, store: watched }, stored: watched },
      planExport(ctx, { reconcile: false }),
      { progress: opts.progress ?? silentProgress },
    );
    return { summary, batches, client };
  } finally {
    await store.close();
    await client.close();
    await privacy.close();
  }
}

/** The context with an observer: the governor's event stream is what the tests watch. */
function observed(ctx: AppContext, observer: RunObserver): AppContext {
  return { ...ctx, observer };
}

function toml(dbUrl: string, query: string, retry = ''): string {
  return tomlFor(sim, dbUrl, [template])
    .replace('max_retries = 6', 'max_retries = 15')
    .replace('parallel_ehrs = 8', `parallel_ehrs = 8\n${query}`)
    .replace('max_delay_ms = 40', retry || 'max_delay_ms = 40');
}

describe('the request governor under injected faults', () => {
  it('never exceeds max_requests_per_second at the server; 429/503 cut concurrency, then pause the whole client', async () => {
    const rate = 20;
    // First an overloaded server (every answer 429), until the client has paused; then 429/503 at random.
    const randomFaults = { errorRates: { 429: 0.04, 503: 0.03 } };
    sim.control.setFaults({ ...NO_FAULTS, retryAfterSeconds: 1, errorRates: { 429: 1 } });
    sim.control.resetStats();
    const db = await createTestDatabase();
    const events: GovernorEvent[] = [];
    const base = await contextFor(toml(db.url, `max_requests_per_second = ${rate}`, 'max_delay_ms = 300'), {
      mode: 'full',
    });
    const ctx = observed(base, {
      governor: (e) => {
        events.push(e);
        if (e.requestsPerSecond === 0) sim.control.setFaults(randomFaults);
      },
    });
    try {
      const { summary } = await exportWatched(ctx);
      expect(summary.status).toBe('completed');
      const perSecond = sim.control.requestsBySecond();
      const total = perSecond.reduce((n, s) => n + s.requests, 0);
      // The ceiling was binding (several seconds' worth of requests) and never exceeded in any second.
      expect(total).toBeGreaterThan(3 * rate);
      expect(Math.max(...perSecond.map((s) => s.requests))).toBeLessThanOrEqual(rate);
      const g = summary.governor!;
      expect(g.maxRequestsPerSecond).toBe(rate);
      expect(g.pauses).toBeGreaterThan(0);
      expect(g.decreases.overload).toBeGreaterThan(0);
      // The observer saw the pause (rate 0 allowed) and the cut.
      expect(events.some((e) => e.requestsPerSecond === 0)).toBe(true);
      expect(Math.min(...events.map((e) => e.concurrency))).toBeLessThan(8);
      expect(events.every((e) => e.concurrency >= 1 && e.concurrency <= 8)).toBe(true);
      await expectExactEquality(sim, db.pool, [template], expect);
      // Verify is governed too: its requests stay under the ceiling as well.
      sim.control.resetStats();
      const report = await verifyExport(ctx, { sample: live });
      expect(report.consistent).toBe(true);
      expect(Math.max(...sim.control.requestsBySecond().map((s) => s.requests))).toBeLessThanOrEqual(rate);
    } finally {
      sim.control.setFaults(NO_FAULTS);
    }
  });

  it('lets concurrency fall on 429/503 and recover once the server is healthy again', async () => {
    sim.control.setFaults({ ...NO_FAULTS, retryAfterSeconds: 1, errorRates: { 429: 0.2, 503: 0.1 } });
    const db = await createTestDatabase();
    const events: GovernorEvent[] = [];
    const base = await contextFor(toml(db.url, ''), { mode: 'full' });
    const ctx = observed(base, {
      governor: (e) => {
        events.push(e);
        // The server recovers as soon as the client has backed off.
        if (e.concurrency < 8) sim.control.setFaults(NO_FAULTS);
      },
    });
    try {
      const { summary } = await exportWatched(ctx);
      expect(summary.status).toBe('completed');
      const levels = events.map((e) => e.concurrency);
      expect(levels[0]).toBe(8);
      const lowest = levels.indexOf(Math.min(...levels));
      expect(levels[lowest]).toBeLessThan(8);
      expect(levels.slice(lowest + 1)).toContain(8);
      expect(summary.governor!.increases).toBeGreaterThan(0);
      await expectExactEquality(sim, db.pool, [template], expect);
    } finally {
      sim.control.setFaults(NO_FAULTS);
    }
  });

  it('retries a 500, reset or cut body without holding its slot, and still commits in discovery order', async () => {
    sim.control.setFaults({ ...NO_FAULTS, errorRates: { 500: 0.05 }, resetRate: 0.03, truncateRate: 0.03 });
    const db = await createTestDatabase();
    const ctx = await contextFor(toml(db.url, ''), { mode: 'full' });
    try {
      const { summary, batches, client } = await exportWatched(ctx);
      expect(summary.status).toBe('completed');
      expect(client.stats().retries).toBeGreaterThan(0);
      // Chance failures are no sign of load: no 429/503 cut.
      expect(summary.governor!.decreases.overload).toBe(0);
      // Batches hold the compositions in discovery order (commit time, uid), and their cursors only advance.
      const written = batches.flatMap((b) => b.compositions.map((c) => c.compositionUid));
      expect(written).toEqual([...sim.control.liveCompositions(template)].map((c) => c.uid));
      const cursors = batches.flatMap((b) => (b.cursor ? [`${b.cursor.time} ${b.cursor.uid}`] : []));
      expect(cursors).toEqual([...cursors].sort());
      await expectExactEquality(sim, db.pool, [template], expect);
      const report = await verifyExport(ctx, { sample: live });
      expect(report.consistent).toBe(true);
    } finally {
      sim.control.setFaults(NO_FAULTS);
    }
  });

  it('lets the next fetch have the slot while a failed one waits for its retry (one slot)', async () => {
    // Exactly one failure: the first FLAT GET answers 500 (and is probed once in canonical JSON, EHRbase
    // #1382); the fault is switched off as soon as it was seen.
    sim.control.setFaults({ ...NO_FAULTS, endpoints: { composition: { errorRates: { 500: 1 } } } });
    sim.control.resetStats();
    const db = await createTestDatabase();
    const base = await contextFor(toml(db.url, '').replace('parallel_ehrs = 8', 'parallel_ehrs = 1'), {
      mode: 'full',
    });
    const ctx = observed(base, {
      sourceRequest: (e) => {
        if (e.status === 500)
          sim.control.setFaults({ endpoints: { composition: { errorRates: { 500: 0 } } } });
      },
    });
    let requestsAtFirstResult: number | undefined;
    const progress: ProgressSink = {
      ...silentProgress,
      templateProgress: () => {
        requestsAtFirstResult ??= sim.control.stats().composition;
      },
    };
    try {
      const { summary } = await exportWatched(ctx, { progress });
      expect(summary.status).toBe('completed');
      // The first composition took three requests (GET 500, the canonical probe, the retry). Holding the
      // only slot through its backoff, nothing else could have been fetched before it was done; with the
      // slot released, the next composition was fetched meanwhile.
      expect(requestsAtFirstResult).toBeGreaterThan(3);
      await expectExactEquality(sim, db.pool, [template], expect);
    } finally {
      sim.control.setFaults({ ...NO_FAULTS, endpoints: { composition: { errorRates: { 500: 0 } } } });
    }
  });
});
