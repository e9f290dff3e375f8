import type { Faults } from '../../sim/types.js';
import { type BenchContext, populatedTemplates, realisticDataset } from '../context.js';
import { copyBaseline } from '../copy-baseline.js';
import { runExporter } from '../exporter.js';
import { checkpoint, withFreshDatabase } from '../postgres.js';
import type { FetchModePoint, FetchModesResult } from '../results-types.js';
import { diffStats, sourceRequests, startBenchSim } from '../sim-process.js';

/** The fault mix of issue 22: 3% 500, 1% each 502/503/429 (Retry-After 1 s), 1% resets, 0.5% truncated bodies. */
export const FAULT_MIX: Faults = {
  errorRates: { 500: 0.03, 502: 0.01, 503: 0.01, 429: 0.01 },
  retryAfterSeconds: 1,
  resetRate: 0.01,
  truncateRate: 0.005,
};

const CONDITIONS: Array<{ name: FetchModePoint['condition']; faults: Faults }> = [
  { name: 'loopback', faults: {} },
  { name: 'latency 10 ms', faults: { latencyMs: 10 } },
  { name: 'fault mix', faults: FAULT_MIX },
];

/** Everything the scenario sets, so one condition never leaks into the next. */
const CLEAR: Faults = {
  latencyMs: 0,
  errorRates: { 500: 0, 502: 0, 503: 0, 429: 0 },
  resetRate: 0,
  truncateRate: 0,
};

/**
 * Issue 22 scenario 4: a full export in each fetch mode (`composition`, `aql`) under three server
 * conditions (loopback, 10 ms per request, the fault mix), one run each, each as a ratio to COPY of the rows
 * it stored, with source requests per composition and peak RSS. The simulator serves FLAT marshalled from
 * canonical on every GET, as EHRbase does (`flatFromCanonical`), in both modes: the same server for both.
 * Templates without a web template on the server (they could only run in composition mode) are left out.
 */
export async function fetchModesScenario(ctx: BenchContext): Promise<FetchModesResult> {
  const { opts } = ctx;
  const dataset = realisticDataset(opts);
  const n = opts.compositions;
  const ehrs = Math.max(1, Math.round(n / 10));
  const sim = await startBenchSim({ compositions: n, ehrs, seed: opts.seed, data: dataset.data });
  try {
    const totals = await sim.totals();
    const templateIds: string[] = [];
    for (const t of populatedTemplates(totals.liveByTemplate))
      if (await sim.hasWebTemplate(t)) templateIds.push(t);
    const live = templateIds.reduce((s, t) => s + (totals.liveByTemplate[t] ?? 0), 0);
    const points: FetchModePoint[] = [];
    for (const condition of CONDITIONS) {
      for (const fetch of ['composition', 'aql'] as const) {
        ctx.log(`fetch modes: ${fetch}, ${condition.name} (${live} live compositions)`);
        await sim.setFaults({ ...CLEAR, flatFromCanonical: true, ...condition.faults });
        points.push(
          await withFreshDatabase(ctx.server, async (db) => {
            await checkpoint(db);
            const stats0 = await sim.stats();
            const run = await runExporter({
              baseUrl: sim.baseUrl,
              databaseUrl: db.url,
              templateIds,
              mode: 'full',
              exportFlags: [...opts.exportFlags, '--fetch', fetch],
              // Under the fault mix a composition can exhaust its retries: recorded, counted, not fatal.
              allowFailures: true,
            });
            const requests = sourceRequests(diffStats(await sim.stats(), stats0));
            const { rows } = await db.pool.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM compositions',
            );
            const stored = rows[0]!.n;
            const fellBack = run.summary.templates.filter((t) => t.fetch?.fallback).map((t) => t.templateId);
            await sim.setFaults(CLEAR);
            const copy = await copyBaseline(db);
            const rate = stored / run.wallSeconds;
            const copyRate = copy.rows / copy.seconds;
            ctx.log(
              `  ${rate.toFixed(0)}/s, COPY ${copyRate.toFixed(0)}/s (× ${(rate / copyRate).toFixed(2)}), ${(requests / stored).toFixed(4)} requests/composition, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
            );
            return {
              condition: condition.name,
              fetch,
              compositions: stored,
              rate,
              copyRate,
              ratioToCopy: rate / copyRate,
              requestsPerComposition: requests / stored,
              peakRssMb: run.peakRssBytes / 2 ** 20,
              wallSeconds: run.wallSeconds,
              failed: run.summary.templates.reduce((s, t) => s + t.counts.failed, 0),
              fellBack,
            };
          }),
        );
      }
    }
    return { dataset: dataset.description, templates: templateIds, points };
  } finally {
    await sim.close();
  }
}
