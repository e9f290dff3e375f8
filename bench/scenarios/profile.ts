import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BenchContext, populatedTemplates, realisticDataset } from '../context.js';
import { runExporter } from '../exporter.js';
import { withFreshDatabase } from '../postgres.js';
import { type ProfileSummary, summariseProfile } from '../profile-summary.js';
import { startBenchSim } from '../sim-process.js';

/** A CPU profile (`node --cpu-prof`) of the exporter during a 20k-composition full export, summarised. */
export async function profileScenario(
  ctx: BenchContext,
  dir: string,
): Promise<ProfileSummary & { compositions: number; wallSeconds: number }> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const dataset = realisticDataset(ctx.opts);
  const n = Math.min(20_000, ctx.opts.maxCompositions);
  const sim = await startBenchSim({
    compositions: n,
    ehrs: Math.max(1, n / 10),
    seed: ctx.opts.seed,
    data: dataset.data,
  });
  try {
    const totals = await sim.totals();
    ctx.log(`profile: ${totals.live} compositions, profile written to ${out}`);
    const run = await withFreshDatabase(ctx.server, (db) =>
      runExporter({
        baseUrl: sim.baseUrl,
        databaseUrl: db.url,
        templateIds: populatedTemplates(totals.liveByTemplate),
        mode: 'full',
        nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${out}`],
        exportFlags: ctx.opts.exportFlags,
      }),
    );
    return { ...summariseProfile(out), compositions: totals.live, wallSeconds: run.wallSeconds };
  } finally {
    await sim.close();
  }
}
