import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exitCodeOf } from '../../../src/export/summary.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, tomlFor } from './harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let toml: string;

beforeAll(async () => {
  sim = await startSim({ seed: 9, ehrs: 10, compositions: 150 });
  templates = sim.control.templateIds().slice(0, 1);
  db = await createTestDatabase();
  toml = tomlFor(sim, db.url, templates);
  // Real PostgreSQL failures: a statement trigger that raises while a (non-transactional) sequence is low.
  await db.pool.query(`
    CREATE SEQUENCE write_attempts;
    CREATE TABLE fail_below (n bigint NOT NULL);
    INSERT INTO fail_below VALUES (0);
    CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('write_attempts') <= (SELECT n FROM fail_below) THEN
        RAISE EXCEPTION 'injected write failure';
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER injected_failure BEFORE INSERT ON compositions
      FOR EACH STATEMENT EXECUTE FUNCTION injected_failure();`);
});
afterAll(async () => {
  await sim?.close();
});

async function failNextWrites(n: number): Promise<void> {
  await db.pool.query(`SELECT setval('write_attempts', 1, false)`);
  await db.pool.query('UPDATE fail_below SET n = $1', [n]);
}

describe('database write failures', () => {
  it('a batch whose write fails through every retry (default 3) stops the run with exit 4; nothing of it is written', async () => {
    await failNextWrites(1_000_000);
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('failed');
    expect(exitCodeOf(summary, 130)).toBe(4);
    expect(summary.error?.message).toMatch(/failed after 4 attempt\(s\): injected write failure/);
    const counts = await db.pool.query<{ c: string; k: string }>(
      'SELECT (SELECT count(*) FROM compositions) AS c, (SELECT count(*) FROM export_cursors) AS k',
    );
    expect(counts.rows[0]).toEqual({ c: '0', k: '0' });
    const run = await db.pool.query('SELECT status, error FROM export_runs');
    expect(run.rows[0]).toMatchObject({ status: 'failed' });
  });

  it('a batch write that fails a few times is retried whole and the export completes', async () => {
    await failNextWrites(2);
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    expect(summary.logs.some((l) => l.includes('failed; retrying'))).toBe(true);
    await expectExactEquality(sim, db.pool, templates, expect);
  });
});
