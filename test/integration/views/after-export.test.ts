import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exportCompositions, planExport } from '../../../src/app/export.js';
import { silentProgress } from '../../../src/export/types.js';
import { createTestDatabase } from '../../support/db.js';
import { occurrences } from './flat-expect.js';
import { DEMO, rawTextPool, startSim, viewsContext } from './support.js';

/**
 * The whole path: `atlas export` with `[views] enabled = true` against the simulator's demo population;
 * the views appear after the first export, follow new data, and are not regenerated when nothing changed.
 */
const TEMPLATES = ['vital_signs.v1', 'lab_results.v1', 'problem_list.v1'];
const db = await createTestDatabase();
const raw = rawTextPool(db.url);
let sim: Simulator;

async function exportOnce() {
  const ctx = await viewsContext(
    sim,
    db.url,
    `[openehr.query]\ntemplate_ids = ${JSON.stringify(TEMPLATES)}\n\n[export]\nmode = "incremental"\nexport_composition_format = "flatten"\n\n[views]\nenabled = true\n`,
  );
  return exportCompositions(ctx, planExport(ctx, { reconcile: false }), { progress: silentProgress });
}

async function count(view: string): Promise<number> {
  return Number((await raw.query(`SELECT count(*) AS n FROM atlas_views."${view}"`)).rows[0].n);
}

/** Blood-pressure events the simulator serves for its live vital-signs compositions. */
function pressureEvents(): number {
  return [...sim.control.liveCompositions('vital_signs.v1')].reduce(
    (n, c) => n + occurrences(sim.control.getFlat(c.uid)!, 'vital_signs/blood_pressure:*/any_event:*').length,
    0,
  );
}

beforeAll(async () => {
  sim = await startSim({ dataDir: join(DEMO, 'manifest.json'), ehrs: 5, compositions: 40 });
});

describe('views after export', () => {
  it('the first export creates the views of every exported template', async () => {
    const summary = await exportOnce();
    expect(summary.views).toEqual({ regenerated: TEMPLATES, failed: [] });
    expect(await count('vital_signs_v1')).toBe([...sim.control.liveCompositions('vital_signs.v1')].length);
    expect(await count('vital_signs_v1__blood_pressure__any_event')).toBe(pressureEvents());
    expect(pressureEvents()).toBeGreaterThan(0);
  });

  it('a new composition shows up after the next export; the unchanged template is not regenerated', async () => {
    const before = await raw.query('SELECT view_name, generated_at FROM view_definitions ORDER BY 1');
    sim.control.advanceClock(60_000);
    sim.control.commit('vital_signs.v1', sim.control.ehrId(0), {
      'vital_signs/blood_pressure:0/any_event:1/systolic|magnitude': 181,
      'vital_signs/blood_pressure:0/any_event:1/systolic|unit': 'mm[Hg]',
    });
    const summary = await exportOnce();
    expect(summary.views).toEqual({ regenerated: [], failed: [] });
    expect((await raw.query('SELECT view_name, generated_at FROM view_definitions ORDER BY 1')).rows).toEqual(
      before.rows,
    );
    expect(await count('vital_signs_v1__blood_pressure__any_event')).toBe(pressureEvents());
    const { rows } = await raw.query(
      'SELECT count(*) AS n FROM atlas_views.vital_signs_v1__blood_pressure__any_event WHERE systolic_magnitude = 181',
    );
    expect(rows[0].n).toBe('1');
  });
});
