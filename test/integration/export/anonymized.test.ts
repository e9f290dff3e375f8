import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_DIR, type Simulator } from '../../../sim/index.js';
import type { AnonymizationConfig } from '../../../src/config/types.js';
import { createAnonymizer } from '../../../src/privacy/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { contextFor, runExport, startSim, storedRows, sumCounts, tomlFor } from './harness.js';

const KEY = 'test-anonymization-key-0123456789';

let sim: Simulator;
let templates: string[];
let auditDir: string;

beforeAll(async () => {
  expect(existsSync(SHARED_FIXTURES_DIR), 'the shared fixtures beside the repository').toBe(true);
  sim = await startSim({ seed: 61, ehrs: 12, compositions: 160 });
  templates = sim.control.templateIds();
  auditDir = mkdtempSync(join(tmpdir(), 'atlas-audit-'));
});
afterAll(async () => {
  await sim?.close();
});

const privacyToml = (dryRun = false) => `[anonymization]
enabled = true
mode = "hipaa_safe_harbor"
strategy = "token"
key = "${KEY}"
pseudonymize_ehr_id = true
dry_run = ${dryRun}

[anonymization.audit]
enabled = true
log_path = "${join(auditDir, 'audit.log')}"
`;

/** The value a finding points at: a FLAT key, optionally followed by `#` and a JSON pointer inside it. */
function valueAt(flat: Record<string, unknown>, path: string): unknown {
  const [key, pointer] = path.split('#') as [string, string | undefined];
  let v: unknown = flat[key];
  for (const part of (pointer ?? '').split('/').filter(Boolean)) {
    v = (v as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return v;
}

/** Every original value the privacy module flags in the source, and every original EHR id. */
async function originalIdentifiers(): Promise<Set<string>> {
  const ctx = await contextFor(tomlFor(sim, 'postgresql://x@127.0.0.1/x', templates, privacyToml()));
  const reporter = createAnonymizer({ ...(ctx.config.anonymization as AnonymizationConfig), dryRun: true });
  const values = new Set<string>();
  for (const t of templates) {
    for (const c of sim.control.liveCompositions(t)) {
      values.add(c.ehrId);
      const flat = sim.control.getFlat(c.uid)!;
      const { findings } = reporter.apply({ flat, ehrId: c.ehrId, compositionUid: c.uid, templateId: t });
      for (const f of findings) {
        const v = valueAt(flat, f.path);
        if ((typeof v === 'string' && v.trim().length >= 3) || typeof v === 'number') values.add(String(v));
      }
    }
  }
  return values;
}

/** Every row of every Atlas table as JSON text. */
async function databaseText(db: TestDatabase): Promise<string> {
  const parts: string[] = [];
  for (const table of [
    'compositions',
    'watermarks',
    'export_cursors',
    'export_runs',
    'failed_compositions',
  ]) {
    const { rows } = await db.pool.query<{ j: string }>(`SELECT to_jsonb(t)::text AS j FROM ${table} t`);
    parts.push(...rows.map((r) => r.j));
  }
  return parts.join('\n');
}

describe('anonymised export of the real fixtures', () => {
  it('keeps no original identifier anywhere in the database, and resumes and verifies', async () => {
    const identifiers = await originalIdentifiers();
    expect(identifiers.size).toBeGreaterThan(20);
    const db = await createTestDatabase();
    const toml = tomlFor(sim, db.url, templates, privacyToml());
    const summary = await runExport(toml);
    expect(summary.status).toBe('completed');
    const rows = await storedRows(db.pool);
    expect([...rows.values()].filter((r) => !r.deleted)).toHaveLength(
      templates.reduce((n, t) => n + [...sim.control.liveCompositions(t)].length, 0),
    );
    for (const r of rows.values()) expect(r.ehr_id).toMatch(/^ehr-[0-9a-f]{32}$/);
    const text = await databaseText(db);
    const leaked = [...identifiers].filter((v) => text.includes(JSON.stringify(v).slice(1, -1)));
    expect(leaked).toEqual([]);

    // Resume: ids and cursors do not depend on ehr_id, so nothing is rewritten.
    sim.control.advanceClock(60_000);
    sim.control.commit(templates[0]!);
    const again = await runExport(toml);
    expect(sumCounts(again, 'inserted')).toBe(1);
    expect(sumCounts(again, 'updated')).toBe(0);

    // Verify maps the source through the same anonymisation and pseudonyms.
    const verified = await runExport(
      tomlFor(sim, db.url, templates, `${privacyToml()}\n[verification]\nenable_verification = true\n`),
    );
    expect(verified.verification?.consistent).toBe(true);

    const audit = readFileSync(join(auditDir, 'audit.log'), 'utf8');
    expect(audit.length).toBeGreaterThan(0);
    expect([...identifiers].filter((v) => audit.includes(v))).toEqual([]);
  });

  it('another key on the same database is refused (exit 2): pseudonyms would not match', async () => {
    const db = await createTestDatabase();
    await runExport(tomlFor(sim, db.url, templates, privacyToml()));
    const other = privacyToml().replace(KEY, 'a-completely-different-key-4242');
    await expect(runExport(tomlFor(sim, db.url, templates, other))).rejects.toMatchObject({ exitCode: 2 });
  });

  it('an anonymisation dry run writes nothing and reports per category and template, never values', async () => {
    const db = await createTestDatabase({ migrated: false });
    const identifiers = await originalIdentifiers();
    const summary = await runExport(tomlFor(sim, db.url, templates, privacyToml(true)));
    expect(summary.dryRun).toBe(true);
    const report = summary.anonymizationReport!;
    expect(report.text).toContain('Anonymization dry run: nothing was written.');
    const json = report.json as {
      compositions: number;
      findings: number;
      byTemplate: Record<string, unknown>;
    };
    expect(json.findings).toBeGreaterThan(0);
    const withData = templates.filter((t) => [...sim.control.liveCompositions(t)].length > 0);
    expect(Object.keys(json.byTemplate).sort()).toEqual(withData.sort());
    const shown = report.text + JSON.stringify(report.json);
    expect([...identifiers].filter((v) => v.length >= 6 && shown.includes(v))).toEqual([]);
    const tables = await db.pool.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.rowCount).toBe(0);
  });
});
