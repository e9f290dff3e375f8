import { randomBytes } from 'node:crypto';
import { type BenchContext, populatedTemplates, realisticDataset } from '../context.js';
import { runExporter } from '../exporter.js';
import { checkpoint, withFreshDatabase } from '../postgres.js';
import type { AnonymizationResult } from '../results-types.js';
import { startBenchSim } from '../sim-process.js';
import { figureOf } from '../stats.js';

const ANONYMIZATION_TOML = ['[anonymization]', 'enabled = true', 'mode = "gdpr"', 'strategy = "token"'].join(
  '\n',
);

/**
 * Privacy overhead: the same full export with anonymization (GDPR, token strategy, audit log on as by
 * default) and without, alternating which goes first, each into a fresh database. Target: < 15% slower.
 */
export async function anonymizationScenario(ctx: BenchContext): Promise<AnonymizationResult> {
  const { opts } = ctx;
  const dataset = realisticDataset(opts);
  const n = opts.anonymizationCompositions;
  const sim = await startBenchSim({
    compositions: n,
    ehrs: Math.max(1, Math.round(n / 10)),
    seed: opts.seed + 3,
    data: dataset.data,
  });
  // A fresh random key per benchmark: never a fixed secret in the repository.
  const key = randomBytes(32).toString('hex');
  try {
    const totals = await sim.totals();
    const templateIds = populatedTemplates(totals.liveByTemplate);
    const plain: number[] = [];
    const anonymized: number[] = [];
    const once = async (anon: boolean) =>
      withFreshDatabase(ctx.server, async (db) => {
        await checkpoint(db);
        const run = await runExporter({
          baseUrl: sim.baseUrl,
          databaseUrl: db.url,
          templateIds,
          mode: 'full',
          exportFlags: opts.exportFlags,
          ...(anon ? { extraToml: ANONYMIZATION_TOML, env: { ATLAS_ANONYMIZATION_KEY: key } } : {}),
        });
        const rows = run.summary.templates.reduce((s, t) => s + t.counts.inserted, 0);
        if (rows !== totals.live) throw new Error(`anonymization scenario stored ${rows} of ${totals.live}`);
        (anon ? anonymized : plain).push(rows / run.wallSeconds);
      });
    for (let r = 0; r < opts.runs; r++) {
      ctx.log(`anonymization: run ${r + 1}/${opts.runs} (${totals.live} compositions)`);
      await once(r % 2 === 1);
      await once(r % 2 === 0);
    }
    return {
      compositions: totals.live,
      plainRate: figureOf(plain),
      anonymizedRate: figureOf(anonymized),
      overheadPercent: figureOf(plain.map((p, i) => 100 * (1 - anonymized[i]! / p))),
    };
  } finally {
    await sim.close();
  }
}
