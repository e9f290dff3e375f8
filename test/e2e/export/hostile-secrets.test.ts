import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { startSim, tomlFor } from '../../integration/export/harness.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../support/db.js';
import { type CliResult, ensureBuilt, runCli, writeConfig } from './cli.js';

// Issue 16, item 4: secrets holding the characters that defeat a naive URL mask (# / ? @ % and quotes) never
// appear in any output or log file, on every CLI path: valid and invalid configurations, TOML syntax errors,
// credentials in base_url, the environment layer, the commands that talk to both servers.

const PG_PASSWORD = `Pg#Se/cr?et@Pa%ss"'q-2c81e`;
const SIM_PASSWORD = `Sim#Se/cr?et@Pa%ss"'q-7f3a9`;
const URL_PASSWORD = `Url#Se/cr?et@Pa%ss-4b6d1`;
const ANON_KEY = `Anon#Key/?@%"'-5d0b4e9a1c`;
/** Fragments long enough that any partial leak of a password shows (a mask cut at `#`, `/`, `?`, `@`). */
const FRAGMENTS = [PG_PASSWORD, SIM_PASSWORD, URL_PASSWORD, ANON_KEY].flatMap((s) =>
  s.split(/[#/?@%"']/).filter((f) => f.length >= 4),
);

let sim: Simulator;
let db: TestDatabase;
let role: string;
let encodedUrl: string;
let rawUrl: string;
let logDir: string;
let templates: string[];

/** TOML basic string (JSON's escaping is a subset TOML accepts for these characters). */
const tomlString = (s: string) => JSON.stringify(s);

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({
    seed: 404,
    ehrs: 6,
    compositions: 40,
    auth: 'basic',
    credentials: { password: SIM_PASSWORD },
  });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase({ migrated: false });
  role = `atlas_hostile_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD '${PG_PASSWORD.replaceAll("'", "''")}'`);
  await adminQuery(`ALTER DATABASE ${db.name} OWNER TO ${role}`);
  const u = new URL(db.url);
  const rest = `${u.host}${u.pathname}`;
  encodedUrl = `postgresql://${role}:${encodeURIComponent(PG_PASSWORD)}@${rest}`;
  rawUrl = `postgresql://${role}:${PG_PASSWORD}@${rest}`;
  logDir = mkdtempSync(join(tmpdir(), 'atlas-hostile-logs-'));
}, 300_000);
afterAll(async () => {
  await sim?.close();
  if (db) await adminQuery(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
  if (role) await adminQuery(`DROP ROLE IF EXISTS ${role}`);
});

function configText(pgUrl: string, baseUrl = sim.baseUrl): string {
  const auth = `auth_type = "basic"\nusername = ${tomlString(sim.credentials.username)}\npassword = ${tomlString(SIM_PASSWORD)}`;
  const base = tomlFor(
    sim,
    pgUrl.replaceAll('\\', '\\\\').replaceAll('"', '\\"'),
    templates,
    `[logging]\nlocal_enabled = true\nlocal_path = ${tomlString(logDir)}\n`,
    auth,
  ).replace(`base_url = "${sim.baseUrl}"`, `base_url = ${tomlString(baseUrl)}`);
  return `${base}\n[anonymization]\nenabled = false\nkey = ${tomlString(ANON_KEY)}\n`;
}

describe('no secret in any output (issue 16, item 4)', () => {
  it('every CLI path, with # / ? @ % and quotes in the secrets, leaks nothing to output or logs', async () => {
    const results: Array<[string, CliResult]> = [];
    const debug = ['--log-level', 'debug', '--log-format', 'json'];
    const run = async (name: string, args: string[], file: string, env?: Record<string, string>) => {
      const r = await runCli([...args, '-c', file, ...debug], env ? { env } : {});
      results.push([name, r]);
      return r;
    };
    const good = writeConfig(configText(encodedUrl)).file;
    const userInBase = new URL(sim.baseUrl);
    const withUrlCredentials = `${userInBase.protocol}//atlas:${encodeURIComponent(URL_PASSWORD)}@${userInBase.host}${userInBase.pathname}`;
    const baseCreds = writeConfig(configText(encodedUrl, withUrlCredentials)).file;

    expect((await run('validate-config', ['validate-config'], good)).code).toBe(0);
    const checked = await run('validate-config --check', ['validate-config', '--check'], good);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect((await run('migrate', ['migrate'], good)).code).toBe(0);
    expect((await run('export', ['export', '--yes'], good)).code).toBe(0);
    expect((await run('dry run', ['export', '--dry-run', '--json'], good)).code).toBe(0);
    expect((await run('status', ['status'], good)).code).toBe(0);
    expect((await run('status --json', ['status', '--json'], good)).code).toBe(0);
    expect((await run('verify', ['verify', '--json'], good)).code).toBe(0);
    expect((await run('views list', ['views', 'list'], good)).code).toBe(0);

    // base_url with user info: validate-config shows the server without the password.
    const shown = await run('base_url credentials', ['validate-config', '--check'], baseCreds);
    expect(shown.stdout).toContain(userInBase.host);

    // The same unencoded connection string is refused by validate-config and export alike (exit 2).
    const raw = writeConfig(configText(rawUrl)).file;
    const rawValidate = await run('unencoded url: validate-config', ['validate-config'], raw);
    const rawExport = await run('unencoded url: export', ['export', '--yes'], raw);
    expect([rawValidate.code, rawExport.code]).toEqual([2, 2]);
    expect(rawValidate.stderr).toMatch(/percent-encode|not a valid URL/);
    const envRaw = await run('unencoded url in the environment', ['validate-config'], good, {
      ATLAS_POSTGRESQL_CONNECTION_STRING: rawUrl,
    });
    expect(envRaw.code).toBe(2);

    // A database the server refuses (it does not exist; the test server trusts any password) and an
    // unreachable one.
    const missing = writeConfig(configText(encodedUrl.replace(`/${db.name}`, '/atlas_no_such_db'))).file;
    expect((await run('refused database', ['export', '--yes'], missing)).code).toBe(4);
    const down = new URL(db.url);
    const unreachable = encodedUrl.replace(`:${down.port}/`, ':1/');
    expect(
      (await run('unreachable database', ['status'], writeConfig(configText(unreachable)).file)).code,
    ).toBe(4);

    // TOML syntax errors on lines that hold secrets: the line is not echoed.
    const tomlErrors = [
      configText(encodedUrl).replace(`password = ${tomlString(SIM_PASSWORD)}`, `password = "${SIM_PASSWORD}`),
      configText(encodedUrl).replace(/connection_string = (".*")/, `connection_string = $1 ${PG_PASSWORD}`),
      configText(encodedUrl).replace(`key = ${tomlString(ANON_KEY)}`, `key = ${ANON_KEY}`),
      configText(encodedUrl, withUrlCredentials).replace(/base_url = (".*")/, 'base_url = $1 junk'),
    ];
    for (const [i, text] of tomlErrors.entries()) {
      const dir = mkdtempSync(join(tmpdir(), 'atlas-toml-'));
      const file = join(dir, 'atlas.toml');
      writeFileSync(file, text);
      const r = await run(`toml error ${i}`, ['validate-config'], file);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('TOML syntax error');
    }

    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8'));
    expect(logs.join('').length).toBeGreaterThan(0);
    for (const [name, r] of results) {
      for (const fragment of FRAGMENTS) {
        expect(`${r.stdout}\n${r.stderr}`.includes(fragment), `${name} leaked ${fragment}`).toBe(false);
      }
    }
    const logText = logs.join('\n');
    for (const fragment of FRAGMENTS)
      expect(logText.includes(fragment), `log file leaked ${fragment}`).toBe(false);
  });
});
