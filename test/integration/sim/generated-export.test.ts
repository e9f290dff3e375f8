import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_DIR, type Simulator, startSimulator } from '../../../sim/index.js';
import { canonicalToFlat, flatToCanonical, type WebTemplate } from '../../../src/template/index.js';
import { generateViews } from '../../../src/views/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, tomlFor } from '../export/harness.js';
import { openDeps, viewsContext } from '../views/support.js';
import { call } from './http.js';

/**
 * Every OPT in ../shared, uploaded to nothing but `atlas-sim --templates DIR`: its generated population
 * round-trips through the codec, exports into PostgreSQL and verifies exactly, and gets its views.
 */
let sim: Simulator;
let db: TestDatabase;
let templates: string[];
const wts = new Map<string, WebTemplate>();

beforeAll(async () => {
  sim = await startSimulator({
    templateFiles: [`${SHARED_FIXTURES_DIR}/templates`],
    seed: 21,
    ehrs: 40,
    // About 140 per template: at least 100 live compositions of each of the 25.
    compositions: 3500,
    clockTicking: false,
  });
  templates = sim.control.templateIds();
  for (const id of templates) {
    const res = await call(`${sim.baseUrl}/definition/template/adl1.4/${encodeURIComponent(id)}`, {
      headers: { accept: 'application/openehr.wt+json' },
    });
    wts.set(id, res.json as WebTemplate);
  }
  db = await createTestDatabase();
});
afterAll(async () => {
  await sim?.close();
});

describe('generated populations of every shared OPT', () => {
  it('round-trips 100 compositions of each template through the codec', () => {
    expect(templates).toHaveLength(25);
    for (const id of templates) {
      const wt = wts.get(id)!;
      const live = [...sim.control.liveCompositions(id)].slice(0, 100);
      expect(live.length, id).toBe(100);
      for (const c of live) {
        const flat = sim.control.getFlat(c.uid)!;
        expect(canonicalToFlat(wt, sim.control.getCanonical(c.uid)!), `${id} canonical → FLAT`).toEqual(flat);
        const back = flatToCanonical(wt, flat, { now: () => '2024-01-01T00:00:00Z' });
        expect(canonicalToFlat(wt, back), `${id} FLAT → canonical → FLAT`).toEqual(flat);
      }
    }
  });

  it('exports into PostgreSQL and verifies exactly, then gets views of every template', async () => {
    const summary = await runExport(tomlFor(sim, db.url, templates), { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    const total = await expectExactEquality(sim, db.pool, templates, expect);
    expect(total).toBeGreaterThanOrEqual(2500);

    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    const outcomes = await generateViews(
      ctx,
      { db: store, client },
      { templateIds: templates, materialized: false, dryRun: false, pruneRemoved: false, cascade: false },
    );
    expect(outcomes.map((o) => [o.templateId, o.status])).toEqual(templates.map((t) => [t, 'created']));
    for (const id of templates) {
      const main = await db.pool.query<{ view_name: string }>(
        "SELECT view_name FROM view_definitions WHERE template_id = $1 AND view_schema = 'atlas_views' AND kind = 'main'",
        [id],
      );
      expect(main.rowCount, id).toBe(1);
      const rows = await db.pool.query(
        `SELECT count(*)::int AS n FROM atlas_views."${main.rows[0]!.view_name}"`,
      );
      expect(rows.rows[0].n, id).toBe([...sim.control.liveCompositions(id)].length);
    }
  });
});
