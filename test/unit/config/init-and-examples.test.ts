import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { runInit } from '../../../src/cli/commands/init.js';
import { CONFIG_KEYS, loadConfig } from '../../../src/config/index.js';
import { commentedConfigToml, minimalConfigToml } from '../../../src/config/init-template.js';
import { leafOf, sectionOf } from '../../../src/config/keys/index.js';
import { load, workdir } from './helpers.js';

const EXAMPLES_DIR = join(process.cwd(), 'examples');
const SECRETS = { ATLAS_OPENEHR_USERNAME: 'atlas', ATLAS_OPENEHR_PASSWORD: 'pw', ATLAS_PG_PASSWORD: 'pg' };

describe('atlas init templates', () => {
  it('the minimal file loads as it is: embedded database, simulator URL, no auth', async () => {
    const { config, warnings } = await load(minimalConfigToml());
    expect(config.databaseTarget).toBe('embedded');
    expect(config.openehr.baseUrl).toBe('http://127.0.0.1:8080/ehrbase/rest/openehr/v1');
    expect(config.openehr.authType).toBe('none');
    expect(config.openehr.query.templateIds.length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
  });

  it("names the simulator's default (demo) templates, so init + atlas-sim + export finds compositions", async () => {
    const demo = JSON.parse(
      readFileSync(join(process.cwd(), 'sim', 'data', 'demo', 'manifest.json'), 'utf8'),
    ) as {
      templates: Array<{ templateId: string }>;
    };
    const { config } = await load(minimalConfigToml());
    expect(config.openehr.query.templateIds).toEqual(demo.templates.map((t) => t.templateId));
  });

  it.each([
    ['minimal', minimalConfigToml],
    ['commented', commentedConfigToml],
  ])(
    "the %s file shows the shared fixtures' templates commented out, and uncommented they load",
    async (_v, make) => {
      const manifest = JSON.parse(
        readFileSync(join(process.cwd(), 'sim', 'data', 'shared-fixtures.manifest.json'), 'utf8'),
      ) as { templates: Array<{ templateId: string; prototypes?: unknown[] }> };
      const withCompositions = manifest.templates.filter((t) => (t.prototypes ?? []).length > 0);
      const text = make();
      expect(text).toContain('--data\n# sim/data/shared-fixtures.manifest.json');
      const hint = text.split('\n').filter((l) => l.startsWith('# template_ids = '));
      expect(hint).toHaveLength(1);
      const swapped = text
        .replace(/^template_ids = .*$/m, '')
        .replace(/^# template_ids = /m, 'template_ids = ');
      const { config, warnings } = await load(swapped);
      expect(warnings).toEqual([]);
      expect(config.openehr.query.templateIds).toEqual(withCompositions.map((t) => t.templateId));
    },
  );

  it('the commented file loads as it is, with the same settings', async () => {
    const cwd = workdir({ 'minimal.toml': minimalConfigToml(), 'commented.toml': commentedConfigToml() });
    const read = (file: string) => loadConfig({ cwd, configPath: file, env: {}, stderrIsTty: false });
    const minimal = await read('minimal.toml');
    const commented = await read('commented.toml');
    expect(commented.warnings).toEqual([]);
    expect(commented.config).toEqual(minimal.config);
  });

  it('the commented file documents every key in its table, with its variables', () => {
    const text = commentedConfigToml();
    for (const key of CONFIG_KEYS) {
      const section = sectionOf(key.key);
      const tableStart = section === '' ? 0 : text.indexOf(`\n[${section}]\n`);
      expect(tableStart, key.key).toBeGreaterThanOrEqual(0);
      const tableText = text.slice(tableStart).split(/\n\[[^\]]+\]\n/)[section === '' ? 0 : 1] ?? '';
      expect(tableText, key.key).toMatch(new RegExp(`^(# )?${leafOf(key.key)} = `, 'm'));
      for (const name of key.env) expect(text).toContain(name);
    }
  });

  it('every commented-out value in the commented file is valid for its key', () => {
    const text = commentedConfigToml();
    let section = '';
    for (const line of text.split('\n')) {
      const table = /^\[(.+)\]$/.exec(line);
      if (table) section = table[1]!;
      const m = /^# ([a-z_]+) = (.+)$/.exec(line);
      if (!m) continue;
      const key = CONFIG_KEYS.find((k) => k.key === (section ? `${section}.${m[1]}` : m[1]));
      expect(key, line).toBeDefined();
      const value = (parse(`v = ${m[2]}`) as { v: unknown }).v;
      expect(key!.type.schema.safeParse(value).success, line).toBe(true);
    }
  });
});

describe('runInit', () => {
  it('writes the file, refuses to overwrite it without --force, overwrites with --force', async () => {
    const dir = workdir();
    const output = join(dir, 'atlas.toml');
    const out = { write: () => true };
    expect(await runInit({ output }, out)).toBe(0);
    await expect(runInit({ output, withExamples: true }, out)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('already exists'),
    });
    expect(readFileSync(output, 'utf8')).toBe(minimalConfigToml());
    expect(await runInit({ output, withExamples: true, force: true }, out)).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(commentedConfigToml());
  });
});

describe('examples/*.toml', () => {
  const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.toml'));

  it('ships the PostgreSQL, Better and embedded examples', () => {
    expect(files.sort()).toEqual([
      'atlas.better.example.toml',
      'atlas.embedded.example.toml',
      'atlas.example.toml',
    ]);
  });

  it.each(files)('%s loads without errors or warnings', async (file) => {
    const { config, warnings } = await loadConfig({
      configPath: join(EXAMPLES_DIR, file),
      cwd: workdir(),
      env: file === 'atlas.embedded.example.toml' ? {} : SECRETS,
      stderrIsTty: false,
    });
    expect(warnings).toEqual([]);
    expect(config.openehr.query.templateIds.length).toBeGreaterThan(0);
    if (file === 'atlas.embedded.example.toml') expect(config.databaseTarget).toBe('embedded');
    else expect(config.postgresql?.connectionString).toContain(':pg@localhost');
  });
});
