import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { startSim, tomlFor } from '../../integration/export/harness.js';
import { ensureBuilt, runCli, writeConfig } from './cli.js';

/**
 * `atlas views export` from the embedded database, with a configuration that names no openEHR server (the
 * export reads the database only): every view's file holds as many rows as the view, as the manifest says.
 */
let sim: Simulator;
let dir: string;
let templates: string[];

/** The run's configuration, switched to the embedded database in `dir`. */
const embedded = (toml: string) =>
  toml
    .replace('database_target = "postgresql"', 'database_target = "embedded"')
    .replace(/\[postgresql\]\nconnection_string = "[^"]*"\n/, `[embedded]\npath = "${dir}"\n`);

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({ seed: 8, ehrs: 8, compositions: 90 });
  templates = sim.control.templateIds().slice(0, 2);
  dir = join(mkdtempSync(join(tmpdir(), 'atlas-views-embedded-')), 'db');
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

describe('atlas views export from the embedded database', () => {
  it('writes every view with its row count, from a configuration without openehr.base_url', async () => {
    const withServer = writeConfig(embedded(tomlFor(sim, 'postgresql://unused@127.0.0.1/x', templates))).file;
    const exported = await runCli(['export', '-c', withServer, '--yes']);
    expect(exported.code, exported.stderr).toBe(0);
    const generated = await runCli(['views', 'generate', '-c', withServer]);
    expect(generated.code, generated.stderr).toBe(0);

    const databaseOnly = writeConfig(`database_target = "embedded"\n[embedded]\npath = "${dir}"\n`).file;
    const out = join(mkdtempSync(join(tmpdir(), 'atlas-views-out-')), 'files');
    const r = await runCli(['views', 'export', '-c', databaseOnly, '--format', 'csv', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      views: Array<{ name: string; rowCount: number; file: string }>;
    };
    expect(manifest.views.length).toBeGreaterThan(0);
    const countSql = manifest.views
      .map((v) => `SELECT '${v.name}' AS name, count(*)::int AS n FROM atlas_views."${v.name}"`)
      .join(' UNION ALL ');
    const counted = await runCli(['sql', '--db', dir, '--json', countSql]);
    expect(counted.code, counted.stderr).toBe(0);
    const counts = new Map(
      (JSON.parse(counted.stdout) as Array<{ name: string; n: number }>).map((c) => [c.name, c.n]),
    );
    for (const v of manifest.views) {
      expect(v.rowCount, v.name).toBe(counts.get(v.name));
      // One header line, then at least one line per row (a quoted cell may span lines).
      const lines = readFileSync(join(out, v.file), 'utf8').trimEnd().split('\n');
      expect(lines.length - 1, `${v.file} data lines`).toBeGreaterThanOrEqual(v.rowCount);
    }
    expect(manifest.views.some((v) => v.rowCount > 0)).toBe(true);
    expect(counts.size).toBe(manifest.views.length);

    const status = await runCli(['status', '-c', databaseOnly]);
    expect(status.code, status.stderr).toBe(0);
    for (const t of templates) expect(status.stdout).toContain(t);
  }, 240_000);
});
