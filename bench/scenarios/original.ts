import { type BenchContext, populatedTemplates, realisticDataset } from '../context.js';
import { runExporter } from '../exporter.js';
import { runOriginalPattern } from '../original-pattern.js';
import { checkpoint, withFreshDatabase } from '../postgres.js';
import type { OriginalPatternResult } from '../results-types.js';
import { diffStats, sourceRequests, startBenchSim } from '../sim-process.js';
import { figureOf } from '../stats.js';

/**
 * Scenario 3: the original's access pattern on a subset of the same shapes (it is slow), and our export on
 * the very same subset, both into fresh databases. `fullRate` (scenario 1's median) gives the headline
 * speed-up; the subset-on-subset speed-up is the like-for-like one.
 */
export async function originalScenario(
  ctx: BenchContext,
  fullRate: number | undefined,
): Promise<OriginalPatternResult> {
  const { opts } = ctx;
  const dataset = realisticDataset(opts);
  const n = opts.originalCompositions;
  const ehrs = Math.max(1, Math.round(n / 10));
  const sim = await startBenchSim({ compositions: n, ehrs, seed: opts.seed + 1, data: dataset.data });
  try {
    const totals = await sim.totals();
    const templateIds = populatedTemplates(totals.liveByTemplate);
    const rates: number[] = [];
    const requests: number[] = [];
    const ours: number[] = [];
    let roundTrips = 0;
    for (let r = 0; r < opts.runs; r++) {
      ctx.log(`original pattern: run ${r + 1}/${opts.runs} (${totals.live} compositions, ${ehrs} EHRs)`);
      await withFreshDatabase(ctx.server, async (db) => {
        await checkpoint(db);
        const before = await sim.stats();
        const run = await runOriginalPattern(sim.baseUrl, db.url, templateIds);
        if (run.compositions !== totals.live)
          throw new Error(`original pattern stored ${run.compositions} of ${totals.live} compositions`);
        rates.push(run.compositions / run.seconds);
        requests.push(sourceRequests(diffStats(await sim.stats(), before)) / run.compositions);
        roundTrips = run.pgRoundTrips / run.compositions;
        ctx.log(`  original ${(run.compositions / run.seconds).toFixed(0)}/s`);
      });
      await withFreshDatabase(ctx.server, async (db) => {
        await checkpoint(db);
        const run = await runExporter({
          baseUrl: sim.baseUrl,
          databaseUrl: db.url,
          templateIds,
          mode: 'full',
          exportFlags: opts.exportFlags,
        });
        ours.push(totals.live / run.wallSeconds);
      });
    }
    const rate = figureOf(rates);
    const our = figureOf(ours);
    return {
      dataset: dataset.description,
      compositions: totals.live,
      ehrs,
      templates: templateIds.length,
      rate,
      requestsPerComposition: figureOf(requests),
      postgresRoundTripsPerComposition: roundTrips,
      speedup: fullRate === undefined ? undefined : fullRate / rate.median,
      ourRateOnSubset: our,
      speedupOnSubset: our.median / rate.median,
    };
  } finally {
    await sim.close();
  }
}
