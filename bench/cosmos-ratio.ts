#!/usr/bin/env node
/**
 * Export rate into the Cosmos DB test server (@vercel/cosmosdb-server, in memory) ÷ export rate into
 * PostgreSQL, on the same simulator data (docs/cosmosdb.md, "Benchmark"). The simulator and Atlas run in this
 * process; PostgreSQL and the Cosmos test server each in a process of their own.
 *
 *   node dist/bench/cosmos-ratio.js [--compositions 3000] [--runs 3] [--database-url postgres://...]
 *
 * Caveat, printed with the result: an in-memory emulator on loopback is not a cloud account. It charges no
 * RUs, never throttles unless told to, has no network latency and no replication; a real account's rate
 * depends on provisioned RU/s, region distance and document size. The ratio measures Atlas's own cost of
 * the Cosmos path (requests, JSON, bulk executor) against its PostgreSQL path, nothing more.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { startSimulator } from '../sim/index.js';
import { exportCompositions, planExport } from '../src/app/export.js';
import { loadConfig } from '../src/config/index.js';
import { silentProgress } from '../src/export/types.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** Starts bench/cosmos-server-process.js and waits for its endpoint line. */
async function startCosmos(): Promise<{ endpoint: string; caFile: string; close(): void }> {
  const child = spawn(
    process.execPath,
    [join(dirname(fileURLToPath(import.meta.url)), 'cosmos-server-process.js')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const { endpoint, caFile } = JSON.parse(line) as { endpoint: string; caFile: string };
  return { endpoint, caFile, close: () => child.kill('SIGTERM') };
}

async function timedExport(toml: string): Promise<{ seconds: number; stored: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-ratio-'));
  writeFileSync(join(dir, 'atlas.toml'), toml);
  const { config } = await loadConfig({
    configPath: join(dir, 'atlas.toml'),
    env: {},
    cwd: dir,
    stderrIsTty: false,
  });
  const logger = pino({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
  const started = process.hrtime.bigint();
  const ctx = { config, logger, signal: new AbortController().signal };
  const summary = await exportCompositions(ctx, planExport(ctx, { reconcile: false }), {
    progress: silentProgress,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (summary.status !== 'completed') throw new Error(`export ${summary.status}: ${summary.error?.message}`);
  return { seconds, stored: summary.templates.reduce((n, t) => n + t.counts.inserted, 0) };
}

async function main(): Promise<void> {
  const compositions = Number(arg('compositions', '3000'));
  const runs = Number(arg('runs', '3'));
  const adminUrl = arg(
    'database-url',
    process.env.ATLAS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  const sim = await startSimulator({ seed: 5, ehrs: 100, compositions, clockTicking: false });
  const templates = sim.control.templateIds();
  const cosmos = await startCosmos();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const head = (target: string) => `database_target = "${target}"
[openehr]
base_url = "${sim.baseUrl}"
vendor = "${sim.flavour}"
auth_type = "basic"
username = "${sim.credentials.username}"
password = "${sim.credentials.password}"
[openehr.query]
template_ids = ${JSON.stringify(templates)}
batch_size = 500
[export]
mode = "full"
`;
  const rows: Array<{ run: number; postgresql: number; cosmosdb: number; ratio: number }> = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const dbName = `atlas_bench_ratio_${process.pid}_${run}`;
      await admin.query(`CREATE DATABASE ${dbName}`);
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      const pgRun = await timedExport(`${head('postgresql')}[postgresql]\nconnection_string = "${url}"\n`);
      await admin.query(`DROP DATABASE ${dbName}`);
      const cosmosRun = await timedExport(
        `${head('cosmosdb')}[cosmosdb]\nendpoint = "${cosmos.endpoint}"\nkey = "YmVuY2g="\ndatabase_name = "bench_${run}"\ntls_ca_cert = "${cosmos.caFile}"\n`,
      );
      if (pgRun.stored !== cosmosRun.stored) throw new Error(`stored ${pgRun.stored} vs ${cosmosRun.stored}`);
      const p = pgRun.stored / pgRun.seconds;
      const c = cosmosRun.stored / cosmosRun.seconds;
      rows.push({
        run,
        postgresql: Math.round(p),
        cosmosdb: Math.round(c),
        ratio: Number((c / p).toFixed(2)),
      });
      process.stderr.write(
        `[bench] run ${run}: ${pgRun.stored} compositions, PostgreSQL ${p.toFixed(0)}/s, Cosmos test server ${c.toFixed(0)}/s\n`,
      );
    }
  } finally {
    await admin.end();
    cosmos.close();
    await sim.close();
  }
  const ratios = rows.map((r) => r.ratio).sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ compositions, runs: rows, medianRatio: ratios[Math.floor(ratios.length / 2)], caveat: 'in-memory emulator on loopback: no RU charges, throttling, network latency or replication; not a cloud account' }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
