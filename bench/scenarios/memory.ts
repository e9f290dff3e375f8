import { type BenchContext, populatedTemplates, realisticDataset } from '../context.js';
import { runExporter } from '../exporter.js';
import { withFreshDatabase } from '../postgres.js';
import type { FullExportResult, MemoryPoint } from '../results-types.js';
import { startBenchSim } from '../sim-process.js';
import { figureOf } from '../stats.js';

/** Above this size a point is measured once (a 1M export takes many minutes); stated in the results. */
const SINGLE_RUN_FROM = 500_000;

/**
 * Scenario 6: the exporter's peak RSS as the dataset grows (target <= 300 MB throughout). The point of the
 * size scenario 1 already measured is taken from it rather than measured again.
 */
export async function memoryScenario(
  ctx: BenchContext,
  full: FullExportResult | undefined,
): Promise<MemoryPoint[]> {
  const { opts } = ctx;
  const dataset = realisticDataset(opts);
  const points: MemoryPoint[] = [];
  for (const size of opts.memorySizes) {
    if (full && full.compositions <= size && size === opts.compositions) {
      points.push({
        compositions: full.compositions,
        runs: opts.runs,
        peakRssMb: full.peakRssMb,
        rate: full.rate,
      });
      continue;
    }
    const runs = size >= SINGLE_RUN_FROM ? 1 : opts.runs;
    const sim = await startBenchSim({
      compositions: size,
      ehrs: Math.max(1, Math.round(size / 10)),
      seed: opts.seed,
      data: dataset.data,
    });
    try {
      const totals = await sim.totals();
      const templateIds = populatedTemplates(totals.liveByTemplate);
      const rss: number[] = [];
      const rates: number[] = [];
      for (let r = 0; r < runs; r++) {
        ctx.log(`memory: ${totals.live} compositions, run ${r + 1}/${runs}`);
        await withFreshDatabase(ctx.server, async (db) => {
          const run = await runExporter({
            baseUrl: sim.baseUrl,
            databaseUrl: db.url,
            templateIds,
            mode: 'full',
            exportFlags: opts.exportFlags,
          });
          rss.push(run.peakRssBytes / 2 ** 20);
          rates.push(totals.live / run.wallSeconds);
          ctx.log(
            `  peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${(totals.live / run.wallSeconds).toFixed(0)}/s`,
          );
        });
      }
      points.push({ compositions: totals.live, runs, peakRssMb: figureOf(rss), rate: figureOf(rates) });
    } finally {
      await sim.close();
    }
  }
  return points;
}
