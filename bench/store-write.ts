/**
 * Write rate of the store's batch write (compositions + watermarks + cursor in one transaction per batch)
 * on realistic FLAT rows, comparing the two composition writers on real PostgreSQL and measuring the
 * embedded (PGlite) store.
 *
 *   npm run build && node dist/bench/store-write.js
 *
 * Environment: ATLAS_BENCH_DATABASE_URL (a role that may CREATE DATABASE; default the local server as
 * postgres), ATLAS_BENCH_ROWS (default 20000), ATLAS_BENCH_BATCH (default 1000), ATLAS_BENCH_REPEAT (default 2),
 * ATLAS_BENCH_EMBEDDED=0 to skip PGlite. Each PostgreSQL measurement runs in a fresh, migrated database
 * (GIN index on content present, as in production) that is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { AtlasConfig } from '../src/config/types.js';
import type { AppContext } from '../src/context.js';
import { openEmbeddedStore } from '../src/store/embedded/embedded-store.js';
import type { CompositionWriter } from '../src/store/postgres/composition-upsert.js';
import { copyWriter } from '../src/store/postgres/copy-writer.js';
import { insertWriter } from '../src/store/postgres/insert-writer.js';
import { migrate } from '../src/store/postgres/migrate/index.js';
import type { SqlContext } from '../src/store/postgres/sql-context.js';
import { writeBatch } from '../src/store/postgres/write-batch.js';
import type { BatchWrite, CompositionRow } from '../src/store/types.js';

const ADMIN_URL = process.env.ATLAS_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.ATLAS_BENCH_ROWS ?? 20_000);
const BATCH = Number(process.env.ATLAS_BENCH_BATCH ?? 1000);
const REPEAT = Number(process.env.ATLAS_BENCH_REPEAT ?? 2);
const TEMPLATE = 'bench.vital_signs.v1';

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A FLAT composition of 2-5 KB: context, a varying number of observation events, coded texts and quantities. */
function flatComposition(rand: () => number, uid: string, time: string): string {
  const flat: Record<string, string | number | boolean> = {
    'vital_signs/_uid': uid,
    'vital_signs/language|code': 'en',
    'vital_signs/language|terminology': 'ISO_639-1',
    'vital_signs/territory|code': 'GB',
    'vital_signs/territory|terminology': 'ISO_3166-1',
    'vital_signs/context/start_time': time,
    'vital_signs/context/setting|code': '238',
    'vital_signs/context/setting|value': 'other care',
    'vital_signs/context/setting|terminology': 'openehr',
    'vital_signs/composer|name': 'Dr. Example Clinician',
    'vital_signs/category|code': '433',
    'vital_signs/category|value': 'event',
    'vital_signs/category|terminology': 'openehr',
  };
  const events = 3 + Math.floor(rand() * 7);
  for (let e = 0; e < events; e++) {
    const bp = `vital_signs/blood_pressure:0/any_event:${e}`;
    flat[`${bp}/time`] = time;
    flat[`${bp}/systolic|magnitude`] = 90 + Math.floor(rand() * 80);
    flat[`${bp}/systolic|unit`] = 'mm[Hg]';
    flat[`${bp}/diastolic|magnitude`] = 50 + Math.floor(rand() * 50);
    flat[`${bp}/diastolic|unit`] = 'mm[Hg]';
    flat[`${bp}/position|code`] = 'at1001';
    flat[`${bp}/position|value`] = 'Sitting';
    flat[`${bp}/position|terminology`] = 'local';
    const pulse = `vital_signs/pulse:0/any_event:${e}`;
    flat[`${pulse}/time`] = time;
    flat[`${pulse}/rate|magnitude`] = 50 + Math.floor(rand() * 60);
    flat[`${pulse}/rate|unit`] = '/min';
    flat[`${pulse}/regular`] = rand() > 0.1;
    flat[`${pulse}/comment`] =
      `Measured after ${Math.floor(rand() * 15)} minutes rest; patient reports "mild dizziness"\nsecond line`;
  }
  return JSON.stringify(flat);
}

function makeRows(version: number): CompositionRow[] {
  const rand = prng(42 + version);
  const rows: CompositionRow[] = [];
  for (let i = 0; i < ROWS; i++) {
    const id = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${'0'.repeat(12)}`;
    const uid = `${id}::bench.atlas::${version}`;
    const time = new Date(Date.UTC(2024, 0, 1) + i * 60_000 + version * 1000).toISOString();
    const contentJson = flatComposition(rand, uid, time);
    rows.push({
      id,
      ehrId: `ehr-${i % 2000}`,
      compositionUid: uid,
      templateId: TEMPLATE,
      timeCommitted: time,
      contentJson,
      exportMode: 'preserve',
      checksum: `v${version}-${contentJson.length}`,
    });
  }
  return rows;
}

/**
 * CPU time (ms) used so far by this process and by the server backends of the current database, when the
 * server runs on this machine (Linux /proc; 0 for backends otherwise). On a shared, busy machine wall-clock
 * rates swing with other load; CPU per row is the steadier figure for comparing the writers.
 */
async function cpuMs(sql: SqlContext, measureServer: boolean): Promise<Map<string, number>> {
  const usage = process.cpuUsage();
  const out = new Map<string, number>([['client', (usage.user + usage.system) / 1000]]);
  if (!measureServer) return out;
  const { rows } = await sql.pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second).
      out.set(String(pid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // Not on this machine (or already gone): not counted.
    }
  }
  return out;
}

function cpuDelta(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [key, value] of after) total += value - (before.get(key) ?? 0);
  return total;
}

interface Pass {
  rowsPerSecond: number;
  cpuMsPer1000: number;
}

/** Writes all rows in batches (each batch also moves the cursor). */
async function writeAll(
  sql: SqlContext,
  writer: CompositionWriter,
  rows: CompositionRow[],
  measureServer: boolean,
): Promise<Pass> {
  const cpuBefore = await cpuMs(sql, measureServer);
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += BATCH) {
    const compositions = rows.slice(i, i + BATCH);
    const last = compositions[compositions.length - 1]!;
    const batch: BatchWrite = {
      runId: 1,
      templateId: TEMPLATE,
      compositions,
      deletions: [],
      deletionPolicy: 'mark',
      failures: [],
      resolvedFailureIds: [],
      cursor: {
        templateId: TEMPLATE,
        time: last.timeCommitted,
        uid: last.compositionUid,
        mode: 'commit_time',
      },
    };
    await writeBatch(sql, writer, batch);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = cpuDelta(cpuBefore, await cpuMs(sql, measureServer));
  return { rowsPerSecond: rows.length / seconds, cpuMsPer1000: (cpu / rows.length) * 1000 };
}

interface Measurement {
  target: string;
  writer: string;
  initial: Pass;
  unchanged: Pass;
  newVersions: Pass;
}

async function measure(
  sql: SqlContext,
  target: string,
  writerName: string,
  writer: CompositionWriter,
  server: boolean,
) {
  const m: Measurement = {
    target,
    writer: writerName,
    initial: await writeAll(sql, writer, V1, server),
    unchanged: await writeAll(sql, writer, V1, server),
    newVersions: await writeAll(sql, writer, V2, server),
  };
  const { rows } = await sql.pool.query<{ n: number; objects: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE jsonb_typeof(content) = 'object')::int AS objects FROM compositions`,
  );
  if (rows[0]!.n !== ROWS || rows[0]!.objects !== ROWS)
    throw new Error(`bad load: ${JSON.stringify(rows[0])}`);
  return m;
}

async function withFreshDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `atlas_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function postgresRun(writerName: string, writer: CompositionWriter): Promise<Measurement> {
  return withFreshDatabase(async (url) => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', (err) => console.error(`pool: ${err.message}`));
    try {
      await migrate(pool, { schema: 'public' });
      const { rows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      return await measure({ pool, schema: 'public' }, `PostgreSQL ${rows[0]!.v}`, writerName, writer, true);
    } finally {
      await pool.end();
    }
  });
}

async function embeddedRun(): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-pglite-'));
  const ctx = {
    config: { embedded: { path: dir } } as AtlasConfig,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  } satisfies AppContext;
  const store = await openEmbeddedStore(ctx, dir);
  try {
    await store.migrate();
    return await measure(store.sql, 'PGlite 0.5.14 (in-process)', 'insert', insertWriter, false);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const V1 = makeRows(1);
const V2 = makeRows(2);
const avgBytes = Math.round(V1.reduce((s, r) => s + r.contentJson.length, 0) / V1.length);
console.log(
  `rows=${ROWS} batch=${BATCH} avg content=${avgBytes} B, repeat=${REPEAT}, node ${process.version}`,
);

const results: Measurement[] = [];
for (let r = 0; r < REPEAT; r++) {
  // Alternate the order so neither writer always runs on a warmer server.
  const order: Array<[string, CompositionWriter]> =
    r % 2 === 0
      ? [
          ['insert', insertWriter],
          ['copy', copyWriter],
        ]
      : [
          ['copy', copyWriter],
          ['insert', insertWriter],
        ];
  for (const [name, writer] of order) results.push(await postgresRun(name, writer));
}
if (process.env.ATLAS_BENCH_EMBEDDED !== '0') results.push(await embeddedRun());

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const cell = (p: Pass) => `${fmt(p.rowsPerSecond)} (${fmt(p.cpuMsPer1000)})`;
console.log('\nrows/s wall clock (CPU ms per 1000 rows, client + server backends)');
console.log('| target | writer | initial load | re-run, unchanged | new versions |');
console.log('|---|---|---|---|---|');
for (const m of results) {
  console.log(
    `| ${m.target} | ${m.writer} | ${cell(m.initial)} | ${cell(m.unchanged)} | ${cell(m.newVersions)} |`,
  );
}
