import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { startSim, tomlFor } from '../../integration/export/harness.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ensureBuilt, runCli, writeConfig } from '../export/cli.js';

/**
 * `atlas status` and `atlas verify` only read the database, so a reporting role with SELECT and nothing else
 * must be able to run them (the export itself runs as the owner).
 */
const role = `atlas_e2e_ro_${randomBytes(4).toString('hex')}`;
let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let ownerConfig: string;
let roleConfig: string;

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({ seed: 505, ehrs: 4, compositions: 40 });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase();
  ownerConfig = writeConfig(tomlFor(sim, db.url, templates)).file;
  const exported = await runCli(['export', '--yes', '-c', ownerConfig, '--log-format', 'json']);
  if (exported.code !== 0)
    throw new Error(`export as the owner failed (${exported.code}): ${exported.stderr}`);
  // Roles are cluster-wide: a unique name, dropped after the file (its grants first, or DROP ROLE refuses).
  await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`);
  await db.pool.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await db.pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  const url = new URL(db.url);
  url.username = role;
  url.password = 'pw';
  roleConfig = writeConfig(tomlFor(sim, url.toString(), templates)).file;
}, 300_000);

afterAll(async () => {
  await sim?.close();
  await db?.pool.query(`DROP OWNED BY ${role}`).catch(() => undefined);
  await adminQuery(`DROP ROLE IF EXISTS ${role}`);
});

const asRole = (...args: string[]) => runCli([...args, '-c', roleConfig, '--log-format', 'json']);

/** Everything the commands could change: runs, watermarks, cursors, failures, compositions. */
async function snapshot(): Promise<unknown> {
  const { rows } = await db.pool.query(
    `SELECT (SELECT json_agg(r ORDER BY id) FROM export_runs r) AS runs,
            (SELECT json_agg(w ORDER BY id) FROM watermarks w) AS watermarks,
            (SELECT json_agg(c ORDER BY template_id) FROM export_cursors c) AS cursors,
            (SELECT count(*)::int FROM failed_compositions) AS failures,
            (SELECT json_agg(json_build_object('id', id, 'xmin', xmin::text) ORDER BY id) FROM compositions)
              AS compositions`,
  );
  return rows[0];
}

describe('a SELECT-only role', () => {
  it('may not export (the grants really are read-only)', async () => {
    const r = await asRole('export', '--yes');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/lacks .*INSERT/);
  });

  it('runs atlas status and atlas verify, and verify writes nothing', async () => {
    const before = await snapshot();
    const status = await asRole('status');
    expect(status.code, status.stderr).toBe(0);
    for (const t of templates) expect(status.stdout).toContain(t);
    expect(status.stdout).toContain('#1 completed');
    const verify = await asRole('verify', '--sample', '3');
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('Result: source and target are consistent.');
    expect(await snapshot()).toEqual(before);
  });
});
