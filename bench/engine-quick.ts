/**
 * Quick throughput check of the export engine: a full export of N compositions from the simulator (its
 * own process) into a fresh, migrated PostgreSQL database, the engine running in this process; then a
 * plain COPY of exactly the stored rows into the same table, and a no-op incremental run. The complete
 * benchmark with medians, the original's access pattern and reports is `npm run bench` (bench/run.ts).
 *
 *   npm run build && node dist/bench/engine-quick.js
 *
 * Environment: ATLAS_BENCH_DATABASE_URL (default the local server as postgres), ATLAS_BENCH_COMPOSITIONS
 * (20000), ATLAS_BENCH_EHRS (2000), ATLAS_BENCH_BATCH (1000), ATLAS_BENCH_PARALLEL (32).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { exportCompositions, planExport } from '../src/app/export.js';
import { loadConfig } from '../src/config/index.js';
import { totalsOf } from '../src/export/summary.js';
import { silentProgress } from '../src/export/types.js';
import { copyBaseline } from './copy-baseline.js';
import { fixturesManifest } from './paths.js';
import { checkpoint, freshDatabase, openBenchServer } from './postgres.js';
import { startBenchSim } from './sim-process.js';

const COMPOSITIONS = Number(process.env.ATLAS_BENCH_COMPOSITIONS ?? 20_000);
const EHRS = Number(process.env.ATLAS_BENCH_EHRS ?? 2000);
const BATCH = Number(process.env.ATLAS_BENCH_BATCH ?? 1000);
const PARALLEL = Number(process.env.ATLAS_BENCH_PARALLEL ?? 32);

async function exportOnce(toml: string, mode: 'full' | 'incremental') {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-engine-quick-'));
  writeFileSync(join(dir, 'atlas.toml'), toml);
  const { config } = await loadConfig({
    configPath: join(dir, 'atlas.toml'),
    env: {},
    cwd: dir,
    flags: { mode },
  });
  const ctx = { config, logger: pino({ level: 'warn' }), signal: new AbortController().signal };
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = process.hrtime.bigint();
  try {
    const summary = await exportCompositions(ctx, planExport(ctx, { reconcile: false }), {
      progress: silentProgress,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { summary, seconds, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const server = await openBenchServer(process.env.ATLAS_BENCH_DATABASE_URL);
  const sim = await startBenchSim({
    compositions: COMPOSITIONS,
    ehrs: EHRS,
    seed: 42,
    data: fixturesManifest(),
  });
  const db = await freshDatabase(server);
  try {
    const templates = await sim.templateIds();
    const toml = [
      'database_target = "postgresql"',
      '[openehr]',
      `base_url = ${JSON.stringify(sim.baseUrl)}`,
      '[openehr.query]',
      `template_ids = ${JSON.stringify(templates)}`,
      `batch_size = ${BATCH}`,
      `parallel_ehrs = ${PARALLEL}`,
      '[postgresql]',
      `connection_string = ${JSON.stringify(db.url)}`,
    ].join('\n');
    await checkpoint(db);
    const full = await exportOnce(toml, 'full');
    const t = totalsOf(full.summary.templates);
    if (full.summary.status !== 'completed') throw new Error(`export ended ${full.summary.status}`);
    const rate = t.inserted / full.seconds;
    const copy = await copyBaseline(db);
    const copyRate = copy.rows / copy.seconds;
    await db.pool.query('TRUNCATE compositions');
    const refill = await exportOnce(toml, 'full');
    const noop = await exportOnce(toml, 'incremental');
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    const lines = [
      `PostgreSQL ${server.version}; ${templates.length} templates; batch ${BATCH}; parallel ${PARALLEL}`,
      `full export:        ${t.inserted} compositions in ${full.seconds.toFixed(2)} s = ${rate.toFixed(0)}/s (${(rate * 60).toFixed(0)}/min), peak RSS ${mb(full.peakRss)}`,
      `COPY of those rows: ${copy.rows} rows in ${copy.seconds.toFixed(2)} s = ${copyRate.toFixed(0)}/s; export/COPY = ${(rate / copyRate).toFixed(2)}`,
      `second full run:    ${refill.seconds.toFixed(2)} s (rows re-inserted after TRUNCATE: ${totalsOf(refill.summary.templates).inserted})`,
      `no-op incremental:  ${noop.seconds.toFixed(2)} s, fetched ${noop.summary.templates.reduce((n, x) => n + x.counts.fetched, 0)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.drop();
    await sim.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`engine-quick: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
