import { type BenchContext, demoDataset, populatedTemplates } from '../context.js';
import { runExporter } from '../exporter.js';
import { checkpoint, withFreshDatabase } from '../postgres.js';
import type { ChangedResult, IncrementalPoint, NoopResult } from '../results-types.js';
import { type BenchSim, diffStats, sourceRequests, startBenchSim } from '../sim-process.js';
import { figureOf } from '../stats.js';

const TEMPLATES_PER_EHR = 3;

interface Measured {
  requests: number;
  byKind: Record<string, number>;
  wall: number;
  updated: number;
}

async function incremental(
  sim: BenchSim,
  dbUrl: string,
  templateIds: string[],
  flags: string[],
): Promise<Measured> {
  const before = await sim.stats();
  const run = await runExporter({
    baseUrl: sim.baseUrl,
    databaseUrl: dbUrl,
    templateIds,
    mode: 'incremental',
    exportFlags: flags,
  });
  const diff = diffStats(await sim.stats(), before);
  const { control: _control, ...byKind } = diff;
  return {
    requests: sourceRequests(diff),
    byKind,
    wall: run.wallSeconds,
    updated: run.summary.templates.reduce((s, t) => s + t.counts.updated, 0),
  };
}

/** Updates every 100th live composition (shifted by the run number, so each run changes others). */
async function changeOnePercent(sim: BenchSim, templateIds: string[], run: number): Promise<number> {
  await sim.advanceClock(3_600_000);
  let changed = 0;
  for (const t of templateIds) {
    const live = await sim.live(t);
    for (let k = run % 100; k < live.length; k += 100) {
      await sim.update(live[k]!.objectId);
      changed++;
    }
  }
  return changed;
}

interface PopulationResult {
  point: IncrementalPoint;
  changed?: ChangedResult;
}

/** One population of `ehrs` EHRs × 3 templates: per run a fresh database, a full export (not timed), then the timed runs. */
async function population(ctx: BenchContext, ehrs: number, withChanged: boolean): Promise<PopulationResult> {
  const { opts } = ctx;
  const n = ehrs * TEMPLATES_PER_EHR;
  const sim = await startBenchSim({ compositions: n, ehrs, seed: opts.seed + 2, data: demoDataset().data });
  try {
    const totals = await sim.totals();
    const templateIds = populatedTemplates(totals.liveByTemplate);
    const noop: Measured[] = [];
    const changedRuns: Array<Measured & { changed: number }> = [];
    for (let r = 0; r < opts.runs; r++) {
      ctx.log(`incremental (${ehrs} EHRs × ${templateIds.length} templates): run ${r + 1}/${opts.runs}`);
      await withFreshDatabase(ctx.server, async (db) => {
        await runExporter({
          baseUrl: sim.baseUrl,
          databaseUrl: db.url,
          templateIds,
          mode: 'full',
          exportFlags: opts.exportFlags,
        });
        await checkpoint(db);
        noop.push(await incremental(sim, db.url, templateIds, opts.exportFlags));
        if (!withChanged) return;
        const changed = await changeOnePercent(sim, templateIds, r);
        await checkpoint(db);
        changedRuns.push({ ...(await incremental(sim, db.url, templateIds, opts.exportFlags)), changed });
      });
    }
    const point: IncrementalPoint = {
      ehrs,
      compositions: totals.live,
      requests: figureOf(noop.map((m) => m.requests)),
      requestsByKind: noop[noop.length - 1]!.byKind,
      wallSeconds: figureOf(noop.map((m) => m.wall)),
    };
    if (!withChanged) return { point };
    return {
      point,
      changed: {
        ehrs,
        compositions: totals.live,
        changed: changedRuns[0]!.changed,
        requests: figureOf(changedRuns.map((m) => m.requests)),
        wallSeconds: figureOf(changedRuns.map((m) => m.wall)),
        updatedRows: figureOf(changedRuns.map((m) => m.updated)),
      },
    };
  } finally {
    await sim.close();
  }
}

/**
 * Scenarios 4 and 5: a no-op incremental run over `incrementalEhrs` EHRs × 3 templates (and over a tenth of
 * them, to show the request count does not grow with the EHRs), then one after 1% of the compositions changed.
 */
export async function incrementalScenarios(
  ctx: BenchContext,
  want: { noop: boolean; changed: boolean },
): Promise<{ noop?: NoopResult; changed?: ChangedResult }> {
  const big = await population(ctx, ctx.opts.incrementalEhrs, want.changed);
  if (!want.noop) return { changed: big.changed };
  const small = await population(ctx, Math.max(10, Math.round(ctx.opts.incrementalEhrs / 10)), false);
  return {
    noop: { templates: TEMPLATES_PER_EHR, points: [small.point, big.point] },
    ...(want.changed ? { changed: big.changed } : {}),
  };
}
