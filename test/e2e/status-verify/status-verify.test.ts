import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { startSim, tomlFor } from '../../integration/export/harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ensureBuilt, runCli, writeConfig } from '../export/cli.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let config: string;

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({ seed: 404, ehrs: 8, compositions: 100 });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase({ migrated: false });
  config = writeConfig(tomlFor(sim, db.url, templates)).file;
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

const atlas = (...args: string[]) => runCli([...args, '-c', config, '--log-format', 'json']);

describe('atlas status', () => {
  it('on a fresh database migrates it and says there is no history', async () => {
    const r = await atlas('status');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("No export history found.\nRun 'atlas export' to start exporting data.\n");
    const tables = await db.pool.query("SELECT to_regclass('public.export_cursors') IS NOT NULL AS ok");
    expect(tables.rows[0].ok).toBe(true);
  });

  it('after an export shows templates, cursor, counts, last run and watermarks; filters; --json', async () => {
    expect((await atlas('export', '--yes')).code).toBe(0);
    const r = await atlas('status');
    expect(r.code).toBe(0);
    for (const t of templates) {
      const live = [...sim.control.liveCompositions(t)].length;
      expect(r.stdout).toMatch(
        new RegExp(
          `${t}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+${live}\\s+0\\s+\\d+\\s+0\\s+#1 completed`,
        ),
      );
    }
    expect(r.stdout).toMatch(/Template ID\s+EHR ID\s+Status\s+Count\s+Last Export/);
    const ehr = sim.control.ehrId(0);
    const one = await atlas('status', '--template-id', templates[0]!, '--ehr-id', ehr);
    const rows = one.stdout.split('\n').filter((l) => l.includes(ehr));
    expect(rows.length).toBe(1);
    expect(rows[0]).toContain('completed');
    const none = await atlas('status', '--status', 'failed');
    expect(none.stdout).toContain('No watermarks match the specified filters.');
    const json = JSON.parse((await atlas('status', '--json', '--limit', '2')).stdout) as {
      templates: Array<{ templateId: string; live: number }>;
      watermarks: unknown[];
    };
    expect(json.templates.map((t) => t.templateId).sort()).toEqual([...templates].sort());
    expect(json.watermarks).toHaveLength(2);
    const bad = await atlas('status', '--status', 'bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status must be one of');
  });
});

describe('atlas verify', () => {
  it('exits 0 when consistent, 1 with the differing ids otherwise; --json and --sample', async () => {
    const ok = await atlas('verify');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Result: source and target are consistent.');
    const victim = [...sim.control.liveCompositions(templates[0]!)][0]!;
    await db.pool.query('DELETE FROM compositions WHERE id = $1', [victim.objectId]);
    const bad = await atlas('verify');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`- ${victim.objectId} (source ${victim.uid})`);
    expect(bad.stdout).toContain('Result: source and target DIFFER');
    const json = JSON.parse((await atlas('verify', '--json', '--template-id', templates[0]!)).stdout) as {
      consistent: boolean;
      templates: Array<{ templateId: string; issues: { missing: { count: number } } }>;
    };
    expect(json.consistent).toBe(false);
    expect(json.templates.map((t) => [t.templateId, t.issues.missing.count])).toEqual([[templates[0], 1]]);
    const sampled = JSON.parse((await atlas('verify', '--json', '--sample', '3', '--seed', '5')).stdout) as {
      sample: number;
      templates: Array<{ contentChecked: number }>;
    };
    expect(sampled.sample).toBe(3);
    for (const t of sampled.templates) expect(t.contentChecked).toBe(3);
  });
});
