import { afterAll, describe, expect, it } from 'vitest';
import type { Flavour, Simulator } from '../../../sim/index.js';
import { DIFFERING_KEY } from '../../../sim/population/served-flat.js';
import { formatSummary } from '../../../src/export/summary-text.js';
import { createTestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, sumCounts, tomlFor } from './harness.js';

/**
 * fetch = "aql" (issue 22): the discovery pages carry whole compositions, converted to FLAT locally with
 * the server's web template. The simulator serves FLAT as EHRbase does (marshalled from the stored
 * canonical, `flatFromCanonical`), so what Atlas stores must equal the server's FLAT exactly, for every
 * template of ../shared (when present) and of the demo data, in both flavours.
 */
const sims: Simulator[] = [];
afterAll(async () => {
  for (const s of sims) await s.close();
});

async function simFor(
  flavour: Flavour,
  demo: boolean,
  extra: Record<string, unknown> = {},
): Promise<Simulator> {
  const sim = await startSim({
    seed: 31,
    ehrs: 15,
    compositions: 240,
    flavour,
    auth: 'basic',
    faults: { flatFromCanonical: true },
    // An explicit dataDir of undefined would still pick the shared fixtures: the demo is the default data.
    ...(demo ? { dataDir: undefined } : {}),
    ...extra,
  });
  sims.push(sim);
  return sim;
}

const AQL = '[openehr.query]\n';

function aqlToml(
  sim: Simulator,
  dbUrl: string,
  templates: string[],
  interval = 1000,
  verify = false,
): string {
  // Verification after the run compares every stored composition with the server's FLAT GET.
  const extra = verify ? '[verification]\nenable_verification = true\n' : '';
  return tomlFor(sim, dbUrl, templates, extra).replace(
    '[openehr.query]\n',
    `${AQL}fetch = "aql"\nflat_check_interval = ${interval}\n`,
  );
}

describe.each([
  ['ehrbase', false],
  ['ehrbase', true],
  ['better', false],
  ['better', true],
] as Array<[Flavour, boolean]>)('fetch = "aql" on %s (demo data: %s)', (flavour, demo) => {
  it('full and incremental runs store exactly the server FLAT of every template', async () => {
    const sim = await simFor(flavour, demo);
    const templates = sim.control.templateIds();
    const db = await createTestDatabase();
    const toml = aqlToml(sim, db.url, templates);
    sim.control.resetStats();
    const full = await runExport(toml, { flags: { mode: 'full' } });
    expect(full.status).toBe('completed');
    const total = await expectExactEquality(sim, db.pool, templates, expect);
    expect(sumCounts(full, 'inserted')).toBe(total);
    for (const t of full.templates) {
      if (t.fetch?.fallback !== undefined) {
        // Only a template the server has no web template for (nested.en.v1 in ../shared) falls back.
        expect(t.fetch?.fallback, t.templateId).toMatch(/no usable web template/);
        continue;
      }
      expect(t.fetch?.mode, t.templateId).toBe('aql');
      expect(t.fetch!.converted + t.fetch!.checked).toBe(t.counts.fetched);
    }
    const aqlTemplates = full.templates.filter((t) => t.fetch?.mode === 'aql');
    expect(aqlTemplates.length).toBeGreaterThanOrEqual(3);
    // Composition GETs: the checks of the aql templates, and everything of a template without a web template.
    const checked = aqlTemplates.reduce((n, t) => n + t.fetch!.checked, 0);
    const fellBack = full.templates
      .filter((t) => t.fetch?.mode === 'composition')
      .reduce((n, t) => n + t.counts.fetched, 0);
    expect(sim.control.stats().composition).toBe(checked + fellBack);

    const t0 = aqlTemplates[0]!.templateId;
    sim.control.advanceClock(3_600_000);
    const fresh = sim.control.commit(t0);
    const existing = [...sim.control.liveCompositions(t0)][3]!;
    sim.control.update(existing.objectId);
    const inc = await runExport(aqlToml(sim, db.url, templates, 1000, true));
    expect(inc.status).toBe('completed');
    expect(inc.verification?.consistent).toBe(true);
    expect(sumCounts(inc, 'inserted')).toBe(1);
    expect(sumCounts(inc, 'updated')).toBe(1);
    expect(fresh.objectId).toBeDefined();
    await expectExactEquality(sim, db.pool, templates, expect);
  });
});

describe('fetch = "aql" mismatch fallback', () => {
  it('a server FLAT that differs from the local conversion switches the template to composition fetch', async () => {
    const sim = await simFor('ehrbase', true);
    const templates = sim.control.templateIds();
    sim.control.setFaults({ flatDiffers: true });
    const db = await createTestDatabase();
    const result = await runExport(aqlToml(sim, db.url, templates), { flags: { mode: 'full' } });
    expect(result.status).toBe('completed');
    // Stored content is still exactly the server's FLAT (the differing key included).
    await expectExactEquality(sim, db.pool, templates, expect);
    for (const t of result.templates) {
      expect(t.fetch?.mode).toBe('composition');
      expect(t.fetch?.converted).toBe(0);
      expect(t.fetch?.fallback).toContain(`at key ${DIFFERING_KEY}`);
    }
    const warnings = result.logs
      .map((l) => JSON.parse(l) as { level: number; templateId?: string; reason?: string; msg: string })
      .filter((l) => l.msg.startsWith('fetch = "aql": switching'));
    expect(warnings.map((w) => w.templateId).sort()).toEqual([...templates].sort());
    const text = formatSummary(result);
    for (const t of templates)
      expect(text).toContain(`${t} switched to fetch composition for the rest of the run`);
  });

  it('checks one composition in flat_check_interval, and falls back in the run the server starts to differ', async () => {
    const sim = await simFor('ehrbase', true, { compositions: 400, templates: ['vital_signs.v1'] });
    const db = await createTestDatabase();
    const toml = aqlToml(sim, db.url, ['vital_signs.v1'], 10);
    const first = await runExport(toml, { flags: { mode: 'full' } });
    expect(first.templates[0]?.fetch?.mode).toBe('aql');
    const live = [...sim.control.liveCompositions('vital_signs.v1')].length;
    // The first composition(s) until one matched (at most parallel_ehrs in flight), then every 10th.
    expect(first.templates[0]?.fetch?.checked).toBeGreaterThanOrEqual(Math.floor(live / 10));
    expect(first.templates[0]?.fetch?.checked).toBeLessThanOrEqual(Math.ceil(live / 10) + 8);
    sim.control.setFaults({ flatDiffers: true });
    const second = await runExport(toml, { flags: { mode: 'full' } });
    const fetch = second.templates[0]?.fetch;
    expect(fetch?.mode).toBe('composition');
    expect(fetch?.fallback).toContain(DIFFERING_KEY);
    // Every row now holds the server's (differing) FLAT: the stored content follows the server.
    await expectExactEquality(sim, db.pool, ['vital_signs.v1'], expect);
  });
});

describe('fetch = "aql" requests', () => {
  it('makes at most 0.01 source requests per composition (AQL pages of batch_size), counted by the simulator', async () => {
    const sim = await simFor('ehrbase', true, {
      ehrs: 50,
      compositions: 6000,
      templates: ['vital_signs.v1'],
    });
    const db = await createTestDatabase();
    const toml = aqlToml(sim, db.url, ['vital_signs.v1']).replace('batch_size = 100', 'batch_size = 1000');
    sim.control.resetStats();
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    const compositions = await expectExactEquality(sim, db.pool, ['vital_signs.v1'], expect);
    expect(compositions).toBeGreaterThan(5000);
    const { control: _control, ...source } = sim.control.stats();
    const requests = Object.values(source).reduce((n, v) => n + v, 0);
    expect(source.aql).toBeGreaterThanOrEqual(Math.ceil(compositions / 1000));
    expect(requests / compositions).toBeLessThanOrEqual(0.01);
  });
});
