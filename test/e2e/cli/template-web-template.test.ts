import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { atlas, ensureBuilt, finished, ROOT, spawnAtlas } from './cli-process.js';

const TEMPLATES = join(ROOT, '..', 'shared', 'openehr-fixtures', 'templates');
const WEB_TEMPLATES = join(ROOT, '..', 'shared', 'openehr-fixtures', 'web-templates');

describe('atlas template web-template', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('prints the web template of an OPT file (EHRbase key order, doubles as 0.0)', async () => {
    const r = await atlas(['template', 'web-template', join(TEMPLATES, 'Test_all_types.opt')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reference = JSON.parse(readFileSync(join(WEB_TEMPLATES, 'test_all_types.json'), 'utf8'));
    expect(JSON.stringify(JSON.parse(r.stdout))).toBe(JSON.stringify(reference));
  });

  it('ends quietly with its own exit code when the reader closes stdout early (| head)', async () => {
    const child = spawnAtlas(['template', 'web-template', join(TEMPLATES, 'Test_all_types.opt')]);
    child.stdout?.destroy(); // the reader is gone before the first write: every write meets EPIPE
    const r = await finished(child);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('reads standard input for -, and --compact prints one line', async () => {
    const xml = readFileSync(join(TEMPLATES, 'ehrbase_multi_occurrence.de.opt'), 'utf8');
    const r = await atlas(['template', 'web-template', '--compact', '-'], { input: xml });
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain('"max":100.0');
    const wt = JSON.parse(r.stdout) as { templateId: string; version: string };
    expect(wt.templateId).toBe('ehrbase_multi_occurrence.de.v1');
    expect(wt.version).toBe('2.3');
  });

  it('exits 2 on an invalid OPT, naming the line and element, and prints nothing on stdout', async () => {
    const xml = readFileSync(join(TEMPLATES, 'minimal_evaluation.opt'), 'utf8').replace(
      '<rm_type_name>EVALUATION</rm_type_name>',
      '',
    );
    const r = await atlas(['template', 'web-template', '-'], { input: xml });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: invalid operational template \(line \d+, element <children>\): <children> has no <rm_type_name>\n$/,
    );
  });

  it('exits 2 when the file cannot be read', async () => {
    const r = await atlas(['template', 'web-template', join(TEMPLATES, 'no-such.opt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read the operational template');
  });
});
