import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { startSim, tomlFor } from '../../integration/export/harness.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../support/db.js';
import { type CliResult, ensureBuilt, runCli, writeConfig } from './cli.js';

const SIM_PASSWORD = 'Sim-Secret-Pass-7f3a9';
const PG_PASSWORD = 'Pg-Secret-Pass-2c81e';
const ANON_KEY = 'Anon-Secret-Key-5d0b4e9a1c';
const WRONG_PASSWORD = 'Wrong-Secret-Pass-9e1d';

let sim: Simulator;
let db: TestDatabase;
let role: string;
let url: string;
let logDir: string;
let templates: string[];

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({
    seed: 303,
    ehrs: 10,
    compositions: 120,
    auth: 'basic',
    credentials: { password: SIM_PASSWORD },
  });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase({ migrated: false });
  role = `atlas_secret_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD '${PG_PASSWORD}'`);
  await adminQuery(`ALTER DATABASE ${db.name} OWNER TO ${role}`);
  const u = new URL(db.url);
  u.username = role;
  u.password = PG_PASSWORD;
  url = u.toString();
  logDir = mkdtempSync(join(tmpdir(), 'atlas-logs-'));
}, 300_000);
afterAll(async () => {
  await sim?.close();
  if (db) await adminQuery(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
  if (role) await adminQuery(`DROP ROLE IF EXISTS ${role}`);
});

function config(over: { simPassword?: string; pgUrl?: string } = {}): string {
  const base = tomlFor(
    sim,
    over.pgUrl ?? url,
    templates,
    `[logging]\nlocal_enabled = true\nlocal_path = "${logDir}"\n`,
  );
  const withKey = `${base}\n[anonymization]\nenabled = false\nkey = "${ANON_KEY}"\n`;
  return writeConfig(
    withKey.replace(`password = "${SIM_PASSWORD}"`, `password = "${over.simPassword ?? SIM_PASSWORD}"`),
  ).file;
}

/** Free-text values of the stored compositions (they must never reach a log). */
function contentSamples(): string[] {
  const out = new Set<string>();
  for (const t of templates) {
    for (const c of [...sim.control.liveCompositions(t)].slice(0, 5)) {
      for (const v of Object.values(sim.control.getFlat(c.uid) ?? {})) {
        if (typeof v === 'string' && v.length >= 12 && v.includes(' ')) out.add(v);
      }
    }
  }
  return [...out];
}

describe('secrets and content never appear in output or logs', () => {
  it('export, dry run, status, verify, wrong credentials and an unreachable database', async () => {
    const debug = ['--log-level', 'debug', '--log-format', 'json'];
    const good = config();
    const results: Array<[string, CliResult]> = [];
    const run = async (name: string, args: string[], file = good) => {
      const r = await runCli([...args, '-c', file, ...debug]);
      results.push([name, r]);
      return r;
    };
    expect((await run('export', ['export', '--yes'])).code).toBe(0);
    expect((await run('dry run', ['export', '--dry-run', '--json', '--mode', 'full'])).code).toBe(0);
    expect((await run('status', ['status'])).code).toBe(0);
    expect((await run('status json', ['status', '--json'])).code).toBe(0);
    expect((await run('verify', ['verify', '--json'])).code).toBe(0);
    const denied = await run(
      'wrong openEHR password',
      ['export', '--yes'],
      config({ simPassword: WRONG_PASSWORD }),
    );
    expect(denied.code, denied.stderr).toBe(3);
    const unreachable = new URL(url);
    unreachable.port = '1';
    const down = await run(
      'unreachable database',
      ['export', '--yes'],
      config({ pgUrl: unreachable.toString() }),
    );
    expect(down.code, down.stderr).toBe(4);

    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8'));
    expect(logs.join('').length).toBeGreaterThan(0);
    const everything = [...results.flatMap(([, r]) => [r.stdout, r.stderr]), ...logs].join('\n');
    for (const secret of [SIM_PASSWORD, PG_PASSWORD, ANON_KEY, WRONG_PASSWORD]) {
      expect(everything.includes(secret), `${secret} leaked`).toBe(false);
    }
    const logText = [...results.map(([, r]) => r.stderr), ...logs].join('\n');
    const samples = contentSamples();
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.filter((s) => logText.includes(s))).toEqual([]);
  });
});
