import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../support/db.js';
import { atlas, ensureBuilt, finished, spawnAtlas, waitForOutput } from './cli-process.js';
import { smallDemoDatabase } from './small-demo.js';

const COUNT_SQL =
  'SELECT template_id, count(*) AS n FROM compositions GROUP BY template_id ORDER BY template_id';

describe('atlas sql on the embedded database (--db)', () => {
  let db: Awaited<ReturnType<typeof smallDemoDatabase>>;
  beforeAll(async () => {
    ensureBuilt();
    db = await smallDemoDatabase();
  }, 300_000);

  it('prints an aligned table with the row count', async () => {
    const r = await atlas(['sql', '--db', db.dir, COUNT_SQL], { cwd: db.cwd });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+template_id\s+\|\s+n$/);
    expect(lines[1]).toMatch(/^-+\+-+$/);
    const body = lines.slice(2, -1).map((l) => l.split('|').map((c) => c.trim()));
    expect(Object.fromEntries(body.map(([t, n]) => [t, Number(n)]))).toEqual(db.counts);
    expect(lines.at(-1)).toBe(`(${Object.keys(db.counts).length} rows)`);
    // Numbers are right-aligned: every count cell ends at the same column.
    expect(new Set(lines.slice(2, -1).map((l) => l.length)).size).toBe(1);
  });

  it('prints JSON rows and CSV with a header', async () => {
    const json = await atlas(['sql', '--db', db.dir, '--json', `${COUNT_SQL}`], { cwd: db.cwd });
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<{ template_id: string; n: string }>;
    expect(Object.fromEntries(rows.map((r) => [r.template_id, Number(r.n)]))).toEqual(db.counts);
    const csv = await atlas(
      ['sql', '--db', db.dir, '--csv', `SELECT 'a,b' AS text, NULL AS nothing, 'say "hi"' AS quoted`],
      { cwd: db.cwd },
    );
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe('text,nothing,quoted\r\n"a,b",,"say ""hi"""\r\n');
  });

  it('reads the query from a file or standard input', async () => {
    const file = join(db.cwd, 'q.sql');
    writeFileSync(file, 'SELECT count(*) AS runs FROM export_runs;\n');
    const fromFile = await atlas(['sql', '--db', db.dir, '--json', '-f', file], { cwd: db.cwd });
    expect(JSON.parse(fromFile.stdout)).toEqual([{ runs: '1' }]);
    const fromStdin = await atlas(['sql', '--db', db.dir, '--json', '-f', '-'], {
      cwd: db.cwd,
      input: 'SELECT 6 * 7 AS answer',
    });
    expect(JSON.parse(fromStdin.stdout)).toEqual([{ answer: 42 }]);
  });

  it('exits 4 with the database message when the query is rejected', async () => {
    const r = await atlas(['sql', '--db', db.dir, 'SELEC template_id FROM compositions'], { cwd: db.cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the database rejected the query: syntax error at or near "SELEC"');
    expect(r.stderr).toContain('SQLSTATE 42601');
    const missing = await atlas(['sql', '--db', db.dir, 'SELECT * FROM no_such_table'], { cwd: db.cwd });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('relation "no_such_table" does not exist');
  });

  it('usage errors exit 2: no query, both a query and a file, --json with --csv', async () => {
    const none = await atlas(['sql', '--db', db.dir], { cwd: db.cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no query given');
    const both = await atlas(['sql', '--db', db.dir, '-f', 'q.sql', 'SELECT 1'], { cwd: db.cwd });
    expect(both.code).toBe(2);
    const formats = await atlas(['sql', '--db', db.dir, '--json', '--csv', 'SELECT 1'], { cwd: db.cwd });
    expect(formats.code).toBe(2);
  });

  it('never creates a database by querying a directory that has none (exit 4)', async () => {
    const dir = join(db.cwd, 'typo');
    const r = await atlas(['sql', '--db', dir, 'SELECT 1'], { cwd: db.cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`there is no embedded database in ${dir}`);
    expect(existsSync(dir)).toBe(false);
  });

  it('without a configuration or --db, exits 2 and points at --db', async () => {
    const r = await atlas(['sql', 'SELECT 1'], { cwd: db.cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('openehr.base_url: required');
    expect(r.stderr).toContain('--db <dir>');
  });

  it('refuses while another process holds the database, naming it (exit 4)', async () => {
    const server = spawnAtlas(['db', 'serve', '--db', db.dir], { cwd: db.cwd });
    const done = finished(server);
    try {
      await waitForOutput(server, /psql -h \S+ -p \d+/);
      const r = await atlas(['sql', '--db', db.dir, 'SELECT 1'], { cwd: db.cwd });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`is in use by process ${server.pid}`);
    } finally {
      server.kill('SIGINT');
      await done;
    }
  });
});

describe('atlas sql on PostgreSQL (the configured database)', async () => {
  const pgdb = await createTestDatabase();
  beforeAll(() => ensureBuilt(), 300_000);
  const env = (url: string) => ({
    ATLAS_OPENEHR_BASE_URL: 'http://127.0.0.1:9',
    ATLAS_POSTGRESQL_CONNECTION_STRING: url,
  });

  it('queries the configured PostgreSQL database', async () => {
    await pgdb.pool.query(
      `INSERT INTO export_runs (mode, template_ids, atlas_version) VALUES ('full', ARRAY['vital_signs.v1'], 'e2e')`,
    );
    const r = await atlas(['sql', '--json', 'SELECT mode, template_ids, atlas_version FROM export_runs'], {
      env: env(pgdb.url),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { mode: 'full', template_ids: ['vital_signs.v1'], atlas_version: 'e2e' },
    ]);
  });

  it('exits 4 on a rejected query and on an unreachable server, never printing the password', async () => {
    const rejected = await atlas(['sql', 'SELECT 1/0'], { env: env(pgdb.url) });
    expect(rejected.code, rejected.stderr).toBe(4);
    expect(rejected.stderr).toContain('division by zero');
    const url = 'postgresql://atlas:pw-never-shown@127.0.0.1:1/atlas';
    const down = await atlas(['sql', 'SELECT 1'], {
      env: { ...env(url), ATLAS_POSTGRESQL_CONNECTION_TIMEOUT_SECONDS: '5' },
    });
    expect(down.code, down.stderr).toBe(4);
    expect(down.stdout + down.stderr).not.toContain('pw-never-shown');
    expect(down.stderr).toContain('127.0.0.1:1');
  });
});
