import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractSampleQueries } from '../../../src/demo/sample-queries.js';
import { atlas, cliEnv, ensureBuilt, finished, ROOT, spawnAtlas, waitForOutput } from '../cli/cli-process.js';

const SAMPLES = extractSampleQueries(readFileSync(join(ROOT, 'migrations', 'README.md'), 'utf8'));

/** Whether something still listens on the simulator's port (it must be stopped when the demo ends). */
function listening(baseUrl: string): Promise<boolean> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `npm run demo` in the repository, exactly as the README's quick start says. */
function npmRunDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return finished(
    spawn('npm', ['run', 'demo'], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

/** Asserts the demo's text output: summary, every sample query with at least one row, the next steps. */
function expectDemoOutput(stdout: string): void {
  expect(stdout).toMatch(/Export summary — run 1, mode incremental/);
  for (const t of ['vital_signs.v1', 'lab_results.v1', 'problem_list.v1']) {
    expect(stdout).toMatch(
      new RegExp(`^  ${t.replace('.', '\\.')}\\s+\\d+\\s+\\d+\\s+0\\s+0\\s+0\\s+0\\s+completed$`, 'm'),
    );
  }
  expect(stdout).toContain('Verification: consistent');
  expect(stdout).toContain('Export completed successfully.');
  const sections = stdout.split(/^── \d+\. /m).slice(1);
  expect(sections.length).toBe(SAMPLES.length);
  SAMPLES.forEach((q, i) => {
    const section = sections[i] ?? '';
    expect(section.startsWith(q.title), `title of query ${i + 1}`).toBe(true);
    expect(section).toContain(q.sql);
    const rows = Number(section.match(/^\((\d+) rows?(, \d+ shown)?\)$/m)?.[1] ?? 0);
    expect(rows, `rows of "${q.title}"`).toBeGreaterThan(0);
  });
  expect(stdout).toMatch(/sql --db \.atlas\/demo "SELECT/);
  expect(stdout).toMatch(/Demo finished in [\d.]+ s\./);
}

describe('atlas demo', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('npm run demo: exports the demo population and prints every sample query with rows; a rerun starts afresh', async () => {
    for (const run of [1, 2]) {
      const r = await npmRunDemo();
      expect(r.code, `run ${run}: ${r.stderr}`).toBe(0);
      expectDemoOutput(r.stdout);
      expect(r.stdout).toContain('200 EHRs, about 3000 compositions, seed 42');
      const baseUrl = r.stdout.match(/Exporting from (\S+)/)?.[1] ?? '';
      expect(await listening(baseUrl), 'the simulator is stopped').toBe(false);
    }
    expect(readdirSync(join(ROOT, '.atlas', 'demo')).sort()).toEqual(['atlas-demo.txt', 'pgdata']);
  }, 300_000);

  it('--keep exports incrementally into the previous result; --json reports everything', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'atlas-e2e-demo-'));
    const args = ['demo', '--ehrs', '10', '--compositions', '60', '--seed', '7', '--json'];
    const first = await atlas(args, { cwd });
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a.dataDir).toBe(join(cwd, '.atlas', 'demo'));
    expect(a.population).toEqual({ ehrs: 10, compositions: 60, seed: 7 });
    expect(a.summary.runId).toBe(1);
    const inserted = a.summary.templates.reduce(
      (n: number, t: { counts: { inserted: number } }) => n + t.counts.inserted,
      0,
    );
    expect(inserted).toBeGreaterThan(0);
    expect(a.queries.map((q: { title: string }) => q.title)).toEqual(SAMPLES.map((q) => q.title));
    for (const q of a.queries) expect(q.rows.length, q.title).toBeGreaterThan(0);

    const kept = await atlas([...args, '--keep'], { cwd });
    expect(kept.code, kept.stderr).toBe(0);
    const b = JSON.parse(kept.stdout);
    expect(b.summary.runId).toBe(2);
    for (const t of b.summary.templates) expect(t.counts.inserted + t.counts.updated).toBe(0);
    const runs = b.queries.find((q: { sql: string }) => q.sql.includes('FROM export_runs'));
    expect(runs.rows.map((r: { id: string }) => Number(r.id))).toEqual([2, 1]);

    const fresh = await atlas(args, { cwd });
    expect(JSON.parse(fresh.stdout).summary.runId).toBe(1);
  }, 300_000);

  it('never touches a --data-dir it did not create (exit 2)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'atlas-e2e-demo-'));
    const dir = join(cwd, 'precious');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const r = await atlas(['demo', '--data-dir', dir], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('was not created by `atlas demo`');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('exits 4 with the lock message when another process has the demo database open', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'atlas-e2e-demo-'));
    const created = await atlas(['demo', '--ehrs', '2', '--compositions', '6', '--json'], { cwd });
    expect(created.code, created.stderr).toBe(0);
    const server = spawnAtlas(['db', 'serve', '--db', '.atlas/demo'], { cwd });
    const served = finished(server);
    try {
      await waitForOutput(server, /psql -h \S+ -p \d+ -U postgres postgres/);
      const r = await atlas(['demo', '--ehrs', '2', '--compositions', '6'], { cwd });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`is in use by process ${server.pid}`);
    } finally {
      server.kill('SIGINT');
      await served;
    }
  }, 120_000);

  it('Ctrl+C during the export: stops after the batch in flight, exits 130, stops the simulator', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'atlas-e2e-demo-'));
    const child = spawnAtlas(['demo', '--ehrs', '2000', '--compositions', '100000'], { cwd });
    const done = finished(child);
    const m = await waitForOutput(child, /Exporting from (\S+)\n/);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('SIGINT received');
    expect(r.stdout).toContain('Export interrupted.');
    expect(r.stdout).not.toContain('Sample queries');
    expect(await listening(m[1] ?? '')).toBe(false);
  }, 180_000);
});
