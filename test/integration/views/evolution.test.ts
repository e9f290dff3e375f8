import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplateViews, type TemplateOutcome } from '../../../src/views/index.js';
import { createTestDatabase } from '../../support/db.js';
import { recordedViews } from './recorded.js';
import {
  FIXTURES,
  fixtureFlat,
  insertCompositions,
  openDeps,
  rawTextPool,
  readJson,
  startSimWithWebTemplates,
  viewsContext,
} from './support.js';

/**
 * A template changing on the server between generations: columns are added at the end, removed data points
 * keep their column (NULL) until pruned, a retype that needs a drop is refused while a user's view depends
 * on it, and goes through with --cascade, reporting what it dropped.
 */
const TEMPLATE = 'ehrbase_multi_occurrence.de.v1';
const db = await createTestDatabase();
const raw = rawTextPool(db.url);
const v1 = readJson(join(FIXTURES, 'web-templates', 'multi_occurrence.json'));

type Node = { id: string; rmType: string; children?: Node[]; [k: string]: unknown };
function eventOf(wt: Record<string, unknown>): Node {
  const tree = wt.tree as Node;
  return tree
    .children!.find((c) => c.id === 'body_temperature')!
    .children!.find((c) => c.id === 'any_event')!;
}

/** v2: `description_of_thermal_stress` removed, `skin_colour` (coded text) added. */
const v2 = structuredClone(v1);
eventOf(v2).children = [
  ...eventOf(v2).children!.filter((c) => c.id !== 'description_of_thermal_stress'),
  {
    id: 'skin_colour',
    name: 'Skin colour',
    localizedName: 'Skin colour',
    rmType: 'DV_CODED_TEXT',
    min: 0,
    max: 1,
  },
];
/** v3: as v2, and `current_day_of_menstrual_cycle` becomes a DV_TEXT (bigint → text). */
const v3 = structuredClone(v2);
eventOf(v3).children!.find((c) => c.id === 'current_day_of_menstrual_cycle')!.rmType = 'DV_TEXT';

const EVENT_VIEW = 'ehrbase_multi_occurrence_de_v1__body_temperature__any_event';
const opts = { materialized: false, dryRun: false, pruneRemoved: false, cascade: false };

async function generateWith(
  wt: Record<string, unknown>,
  extra: Partial<typeof opts> = {},
): Promise<TemplateOutcome> {
  const sim = await startSimWithWebTemplates({ [TEMPLATE]: wt });
  const ctx = await viewsContext(sim, db.url);
  const { store, client } = await openDeps(ctx);
  return generateTemplateViews(ctx, { db: store, client }, TEMPLATE, { ...opts, ...extra });
}

async function columns(): Promise<string[]> {
  const { rows } = await raw.query(
    `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [`atlas_views.${EVENT_VIEW}`],
  );
  return rows.map((r) => r.attname);
}

describe('template evolution', () => {
  let firstColumns: string[] = [];

  beforeAll(async () => {
    const flat = fixtureFlat('multi_occurrence.json');
    flat['encounter/body_temperature:0/any_event:0/description_of_thermal_stress'] = 'sauna';
    await insertCompositions(raw, [{ templateId: TEMPLATE, flat, mode: 'preserve' }]);
    const first = await generateWith(v1);
    expect(first.status).toBe('created');
    firstColumns = await columns();
    await raw.query(
      `CREATE VIEW public.fever_report AS SELECT ehr_id, temperature_magnitude FROM atlas_views.${EVENT_VIEW} WHERE temperature_magnitude > 20`,
    );
  });

  it('an unchanged web template rewrites nothing', async () => {
    const before = await raw.query('SELECT view_name, generated_at FROM view_definitions ORDER BY 1');
    const again = await generateWith(v1);
    expect(again.status).toBe('unchanged');
    expect(again.changes).toEqual([]);
    expect((await raw.query('SELECT view_name, generated_at FROM view_definitions ORDER BY 1')).rows).toEqual(
      before.rows,
    );
  });

  it('a new version adds columns at the end and keeps the removed one as NULL; dependents survive', async () => {
    const outcome = await generateWith(v2);
    expect(outcome.status).toBe('updated');
    expect(outcome.views.find((v) => v.name === EVENT_VIEW)?.action).toBe('replace');
    expect(outcome.changes).toEqual(
      expect.arrayContaining([
        {
          view: EVENT_VIEW,
          change: 'added',
          column: 'skin_colour_code',
          path: 'encounter/body_temperature:*/any_event:*/skin_colour|code',
        },
        {
          view: EVENT_VIEW,
          change: 'removed',
          column: 'description_of_thermal_stress',
          path: 'encounter/body_temperature:*/any_event:*/description_of_thermal_stress',
        },
      ]),
    );
    const now = await columns();
    expect(now.slice(0, firstColumns.length)).toEqual(firstColumns);
    expect(now.slice(firstColumns.length)).toEqual([
      'skin_colour_code',
      'skin_colour_value',
      'skin_colour_terminology',
    ]);
    const { rows } = await raw.query(`SELECT description_of_thermal_stress FROM atlas_views.${EVENT_VIEW}`);
    expect(rows.length).toBe(4);
    expect(rows.every((r) => r.description_of_thermal_stress === null)).toBe(true);
    // The fixture's four events measure 22, 11, 22 and 11 °C.
    expect((await raw.query('SELECT count(*)::int AS n FROM public.fever_report')).rows[0].n).toBe('2');
    const recorded = (await recordedViews(raw, TEMPLATE)).find((v) => v.view_name === EVENT_VIEW)!;
    const removed = recorded.columns.find((c) => c.name === 'description_of_thermal_stress')!;
    expect(removed.removedAt).toBeDefined();
    expect(removed.comment).toMatch(/^REMOVED from the template/);
  });

  it('the same new version again rewrites nothing (kept columns included)', async () => {
    const again = await generateWith(v2);
    expect(again.status).toBe('unchanged');
    expect(again.changes).toEqual([]);
  });

  it('a retype that needs a drop is refused while a user view depends on it, and nothing changes', async () => {
    const before = await raw.query(
      'SELECT view_name, template_hash, definition_sql FROM view_definitions ORDER BY 1',
    );
    await expect(generateWith(v3)).rejects.toThrow(
      /must be recreated \(.*current_day_of_menstrual_cycle bigint → text\).*view public\.fever_report.*--cascade/,
    );
    expect(
      (await raw.query('SELECT view_name, template_hash, definition_sql FROM view_definitions ORDER BY 1'))
        .rows,
    ).toEqual(before.rows);
    expect((await raw.query(`SELECT to_regclass('public.fever_report') IS NOT NULL AS ok`)).rows[0].ok).toBe(
      't',
    );
  });

  it('with --cascade the view is recreated and the dropped dependents are reported', async () => {
    const outcome = await generateWith(v3, { cascade: true });
    expect(outcome.droppedDependents).toEqual(['view public.fever_report']);
    expect(outcome.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          change: 'retyped',
          column: 'current_day_of_menstrual_cycle',
          from: 'bigint',
          to: 'text',
        }),
      ]),
    );
    expect((await raw.query(`SELECT to_regclass('public.fever_report') IS NULL AS gone`)).rows[0].gone).toBe(
      't',
    );
    const { rows } = await raw.query(
      `SELECT current_day_of_menstrual_cycle AS v, pg_typeof(current_day_of_menstrual_cycle)::text AS t FROM atlas_views.${EVENT_VIEW}`,
    );
    expect(rows.map((r) => [r.v, r.t])).toEqual(Array(4).fill(['3', 'text']));
  });

  it('--prune-removed drops the kept column', async () => {
    const outcome = await generateWith(v3, { pruneRemoved: true });
    expect(outcome.changes).toEqual([
      expect.objectContaining({ change: 'pruned', column: 'description_of_thermal_stress' }),
    ]);
    expect(await columns()).not.toContain('description_of_thermal_stress');
  });
});
