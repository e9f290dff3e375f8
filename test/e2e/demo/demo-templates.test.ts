import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { atlas, ensureBuilt, ROOT } from '../cli/cli-process.js';

const SHARED_TEMPLATES = join(ROOT, '..', 'shared', 'openehr-fixtures', 'templates');

describe('atlas demo --templates DIR', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('exports generated data of the OPTs in a folder, verified, and reports their template ids', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'atlas-demo-own-'));
    const own = join(cwd, 'my-templates');
    mkdirSync(own);
    for (const f of ['IDCR - Problem List.v1.opt', 'ehrbase_blood_pressure_simple.de.v0.opt'])
      copyFileSync(join(SHARED_TEMPLATES, f), join(own, f));
    const r = await atlas(['demo', '--templates', own, '--ehrs', '5', '--compositions', '60', '--json'], {
      cwd,
    });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      templateIds: string[];
      summary: { templates: Array<{ templateId: string; counts: { inserted: number } }> };
      queries: unknown[];
    };
    expect(report.templateIds.sort()).toEqual([
      'IDCR - Problem List.v1',
      'ehrbase_blood_pressure_simple.de.v0',
    ]);
    for (const t of report.summary.templates) expect(t.counts.inserted).toBeGreaterThan(10);
    expect(report.queries).toEqual([]);
  });

  it('refuses a folder that does not exist with exit 2', async () => {
    const r = await atlas([
      'demo',
      '--templates',
      '/nonexistent/templates',
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'atlas-demo-')),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--templates: /nonexistent/templates does not exist');
  });
});
