import { type BenchContext, populatedTemplates, realisticDataset } from '../context.js';
import { copyBaseline } from '../copy-baseline.js';
import { runExporter } from '../exporter.js';
import { checkpoint, withFreshDatabase } from '../postgres.js';
import type { CopyResult, FullExportResult } from '../results-types.js';
import { BackendCpuSampler } from '../server-cpu.js';
import { diffStats, sourceRequests, startBenchSim } from '../sim-process.js';
import { figureOf, ratioFigure } from '../stats.js';

const MB = 1_000_000;

interface RunFigures {
  rate: number;
  engineRate: number;
  mbps: number;
  requestsPerComposition: number;
  rssMb: number;
  wall: number;
  cpuExporter: number;
  cpuSim: number;
  cpuPg: number | undefined;
  copyRate: number;
  copyMbps: number;
  copyPgCpu: number | undefined;
  copyRows: number;
  rows: number;
}

const median = (xs: number[]) => figureOf(xs).median;
const per1000 = (seconds: number, n: number) => (seconds / n) * 1000;

/**
 * Scenarios 1 and 2: a full export of N compositions (simulator in its own process, real PostgreSQL with the
 * production schema), then, in the same database, the physical limit: the rows it stored loaded again with
 * COPY. Each run gets a fresh database; the simulator is shared by the runs (same data every time).
 */
export async function fullExportScenario(
  ctx: BenchContext,
): Promise<{ full: FullExportResult; copy: CopyResult }> {
  const { opts } = ctx;
  const dataset = realisticDataset(opts);
  const n = opts.compositions;
  const ehrs = Math.max(1, Math.round(n / 10));
  const sim = await startBenchSim({ compositions: n, ehrs, seed: opts.seed, data: dataset.data });
  try {
    const totals = await sim.totals();
    const templateIds = populatedTemplates(totals.liveByTemplate);
    const runs: RunFigures[] = [];
    for (let r = 0; r < opts.runs; r++) {
      ctx.log(`full export: run ${r + 1}/${opts.runs} (${totals.live} live compositions)`);
      runs.push(
        await withFreshDatabase(ctx.server, async (db) => {
          await checkpoint(db);
          const stats0 = await sim.stats();
          const simCpu0 = await sim.cpuSeconds();
          const pgCpu = new BackendCpuSampler(db.pool, db.name);
          await pgCpu.start();
          const run = await runExporter({
            baseUrl: sim.baseUrl,
            databaseUrl: db.url,
            templateIds,
            mode: 'full',
            exportFlags: opts.exportFlags,
          });
          const cpuPg = await pgCpu.stop();
          const cpuSim = (await sim.cpuSeconds()) - simCpu0;
          const requests = sourceRequests(diffStats(await sim.stats(), stats0));
          const inserted = run.summary.templates.reduce((s, t) => s + t.counts.inserted, 0);
          if (inserted !== totals.live)
            throw new Error(
              `full export inserted ${inserted} rows, the source has ${totals.live} live compositions`,
            );
          const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM compositions');
          const stored = rows[0]!.n;
          const copy = await copyBaseline(db);
          ctx.log(
            `  export ${(stored / run.wallSeconds).toFixed(0)}/s, COPY ${(copy.rows / copy.seconds).toFixed(0)}/s, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
          );
          return {
            rate: stored / run.wallSeconds,
            engineRate: stored / run.engineSeconds,
            mbps: copy.bytes / MB / run.wallSeconds,
            requestsPerComposition: requests / stored,
            rssMb: run.peakRssBytes / 2 ** 20,
            wall: run.wallSeconds,
            cpuExporter: per1000(run.cpuSeconds, stored),
            cpuSim: per1000(cpuSim, stored),
            cpuPg: cpuPg === undefined ? undefined : per1000(cpuPg, stored),
            copyRate: copy.rows / copy.seconds,
            copyMbps: copy.bytes / MB / copy.seconds,
            copyPgCpu:
              copy.serverCpuSeconds === undefined ? undefined : per1000(copy.serverCpuSeconds, copy.rows),
            copyRows: copy.rows,
            rows: stored,
          };
        }),
      );
    }
    const pg = runs.map((r) => r.cpuPg).filter((v): v is number => v !== undefined);
    const copyPg = runs.map((r) => r.copyPgCpu).filter((v): v is number => v !== undefined);
    const full: FullExportResult = {
      dataset: dataset.description,
      compositions: totals.live,
      templates: templateIds.length,
      ehrs,
      rate: figureOf(runs.map((r) => r.rate)),
      mbPerSecond: figureOf(runs.map((r) => r.mbps)),
      requestsPerComposition: figureOf(runs.map((r) => r.requestsPerComposition)),
      peakRssMb: figureOf(runs.map((r) => r.rssMb)),
      wallSeconds: figureOf(runs.map((r) => r.wall)),
      engineRate: figureOf(runs.map((r) => r.engineRate)),
      cpuPer1000: {
        exporter: median(runs.map((r) => r.cpuExporter)),
        simulator: median(runs.map((r) => r.cpuSim)),
        postgres: pg.length > 0 ? median(pg) : undefined,
      },
      rowsStored: runs[0]!.rows,
    };
    const copy: CopyResult = {
      rows: runs[0]!.copyRows,
      rate: figureOf(runs.map((r) => r.copyRate)),
      mbPerSecond: figureOf(runs.map((r) => r.copyMbps)),
      ratio: ratioFigure(
        runs.map((r) => r.rate),
        runs.map((r) => r.copyRate),
      ),
      postgresCpuPer1000: copyPg.length > 0 ? median(copyPg) : undefined,
      rowsEqualExport: runs.every((r) => r.copyRows === r.rows),
    };
    return { full, copy };
  } finally {
    await sim.close();
  }
}
