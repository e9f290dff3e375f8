import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../../src/errors.js';
import { migrationsDir } from '../../../src/store/postgres/migrate/files.js';
import { migrate } from '../../../src/store/postgres/migrate/index.js';
import { migrationLockKey } from '../../../src/store/postgres/migrate/lock.js';
import { createTestDatabase } from '../../support/db.js';

/**
 * Migrations run on the pool's connections, whose statement_timeout (60 s by default) is a connection
 * setting: a long index build or legacy upgrade must not be cancelled by it. What each migration transaction
 * really runs under is recorded by a probe statement placed inside the migration files themselves.
 */
const PROBE =
  'CREATE TABLE IF NOT EXISTS timeout_probe (step text PRIMARY KEY, statement_timeout text NOT NULL, lock_timeout text NOT NULL);\n' +
  "INSERT INTO timeout_probe VALUES ('%STEP%', current_setting('statement_timeout'), current_setting('lock_timeout'));\n";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The shipped migrations in a temporary folder, plus `extra` files (name → SQL); `seedProbe` probes 001. */
function migrationsWith(extra: Record<string, string>, seedProbe = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-migrations-'));
  dirs.push(dir);
  for (const name of readdirSync(migrationsDir()).filter((n) => /^\d{3}_\w+\.sql$/.test(n))) {
    copyFileSync(join(migrationsDir(), name), join(dir, name));
  }
  if (seedProbe) {
    const seed = readdirSync(dir).find((n) => n.startsWith('001_'))!;
    const sql = readFileSync(join(dir, seed), 'utf8');
    const at = sql.lastIndexOf('COMMIT;');
    writeFileSync(join(dir, seed), `${sql.slice(0, at)}${PROBE.replace('%STEP%', '001')}\n${sql.slice(at)}`);
  }
  for (const [name, sql] of Object.entries(extra)) writeFileSync(join(dir, name), sql);
  return dir;
}

/** A pool with short session timeouts, as a DBA or `[postgresql] statement_timeout_seconds` might set them. */
async function withPool<T>(
  url: string,
  config: pg.PoolConfig,
  fn: (pool: pg.Pool) => Promise<T>,
): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 2, ...config });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

async function probes(pool: pg.Pool): Promise<Record<string, { statement: string; lock: string }>> {
  const r = await pool.query<{ step: string; statement_timeout: string; lock_timeout: string }>(
    'SELECT * FROM timeout_probe',
  );
  return Object.fromEntries(
    r.rows.map((x) => [x.step, { statement: x.statement_timeout, lock: x.lock_timeout }]),
  );
}

const probeFile = { '099_timeout_probe.sql': `BEGIN;\n${PROBE.replace('%STEP%', '099')}COMMIT;\n` };

describe('session timeouts inside migration transactions', () => {
  it('a migration runs without statement_timeout and with a bounded lock_timeout, set locally', async () => {
    const db = await createTestDatabase({ migrated: false });
    const dir = migrationsWith(probeFile, true);
    await withPool(db.url, { statement_timeout: 5000, lock_timeout: 4000 }, async (pool) => {
      const report = await migrate(pool, { schema: 'public', migrationsDir: dir });
      expect(report.steps.filter((s) => s.kind === 'apply').map((s) => s.version)).toContain(99);
      expect(await probes(pool)).toEqual({
        '001': { statement: '0', lock: '1min' },
        '099': { statement: '0', lock: '1min' },
      });
      // SET LOCAL ends with the transaction: the pooled connections keep their own settings.
      const after = await pool.query('SELECT current_setting($1) AS s, current_setting($2) AS l', [
        'statement_timeout',
        'lock_timeout',
      ]);
      expect(after.rows[0]).toEqual({ s: '5s', l: '4s' });
    });
  });

  it('the legacy upgrade transaction too (with lockTimeoutMs)', async () => {
    const db = await createTestDatabase({ migrated: false });
    await db.pool.query(readFileSync(join(migrationsDir(), '001_initial_schema.sql'), 'utf8'));
    await db.pool.query('ALTER TABLE compositions DROP COLUMN checksum');
    const dir = migrationsWith({}, true);
    await withPool(db.url, { statement_timeout: 5000 }, async (pool) => {
      const report = await migrate(pool, { schema: 'public', migrationsDir: dir, lockTimeoutMs: 1500 });
      expect(report.steps.map((s) => s.kind)).toContain('legacy-upgrade');
      expect(await probes(pool)).toEqual({ '001': { statement: '0', lock: '1500ms' } });
    });
  });

  it('gives up on a table lock held by another session, rolls back and says how to find the holder', async () => {
    const db = await createTestDatabase();
    const dir = migrationsWith({
      '099_needs_lock.sql': 'BEGIN;\nLOCK TABLE compositions IN ACCESS EXCLUSIVE MODE;\nCOMMIT;\n',
    });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM compositions');
      const err = await migrate(db.pool, { schema: 'public', migrationsDir: dir, lockTimeoutMs: 200 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SchemaError);
      const msg = (err as Error).message;
      expect(msg).toContain('migration 099_needs_lock.sql failed');
      expect(msg).toContain('lock timeout');
      expect(msg).toContain('pg_stat_activity');
      const ledger = await db.pool.query('SELECT version FROM atlas_schema_migrations WHERE version = 99');
      expect(ledger.rowCount).toBe(0);
      await holder.query('COMMIT');
      const report = await migrate(db.pool, { schema: 'public', migrationsDir: dir, lockTimeoutMs: 200 });
      expect(report.steps.map((s) => s.version)).toEqual([99]);
    } finally {
      await holder.end();
    }
  });

  it("waits for another migrator's advisory lock even when the session has a lock_timeout", async () => {
    const db = await createTestDatabase();
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [migrationLockKey('public')]);
      await withPool(db.url, { lock_timeout: 100 }, async (pool) => {
        const running = migrate(pool, { schema: 'public' });
        const settled = running.then(
          () => 'done',
          (e: Error) => e.message,
        );
        let finished = false;
        void settled.then(() => {
          finished = true;
        });
        // Wait until the migrator is queued on the advisory lock, then longer than its lock_timeout.
        while (!finished) {
          const waiting = await db.pool.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'",
          );
          if (waiting.rowCount) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await new Promise((r) => setTimeout(r, 400));
        await other.query('SELECT pg_advisory_unlock($1::bigint)', [migrationLockKey('public')]);
        expect(await settled).toBe('done');
      });
    } finally {
      await other.end();
    }
  });
});
