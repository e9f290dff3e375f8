import { describe, expect, it } from 'vitest';
import { definitionSelectSql } from '../../../src/views/ddl.js';
import { mergeWithPrevious } from '../../../src/views/evolution.js';
import { buildTemplateViews } from '../../../src/views/model.js';
import { planTemplate } from '../../../src/views/plan.js';
import type { ViewModel } from '../../../src/views/types.js';
import { viewSelectSql } from '../../../src/views/view-sql.js';
import { cloneTemplate, fixtureWebTemplate, leaf, nodeAt } from './wt-fixtures.js';

const NOW = '2025-03-01T00:00:00.000Z';
const v1 = fixtureWebTemplate('multi_occurrence.json');
const target = { viewsSchema: 'atlas_views', dataSchema: 'public', templateId: v1.templateId };

/** v1 with a new element, without `description_of_thermal_stress`, with `current_day_of_menstrual_cycle` as text. */
function v2() {
  const wt = cloneTemplate(v1);
  const event = nodeAt(wt, 'body_temperature', 'any_event');
  event.children = (event.children ?? []).filter((c) => c.id !== 'description_of_thermal_stress');
  event.children.push(leaf('skin_colour', 'DV_CODED_TEXT'));
  const count = event.children.find((c) => c.id === 'current_day_of_menstrual_cycle')!;
  count.rmType = 'DV_TEXT';
  return wt;
}

function view(models: ViewModel[], suffix: string): ViewModel {
  const found = models.find((m) => m.name.endsWith(suffix));
  if (!found) throw new Error(`no view ending in ${suffix}`);
  return found;
}

describe('template evolution', () => {
  const before = buildTemplateViews(v1).views;

  it('adds new columns at the end, keeps removed ones as NULL, and reports retyped ones', () => {
    const merged = mergeWithPrevious(buildTemplateViews(v2()).views, before, {
      pruneRemoved: false,
      now: NOW,
    });
    const old = view(before, '__any_event');
    const now = view(merged.views, '__any_event');
    // Every old column keeps its name and position.
    expect(now.columns.slice(0, old.columns.length).map((c) => c.name)).toEqual(
      old.columns.map((c) => c.name),
    );
    expect(now.columns.slice(old.columns.length).map((c) => c.name)).toEqual([
      'skin_colour_code',
      'skin_colour_value',
      'skin_colour_terminology',
    ]);
    expect(now.columns.find((c) => c.name === 'description_of_thermal_stress')?.removedAt).toBe(NOW);
    expect(merged.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ change: 'added', column: 'skin_colour_code' }),
        expect.objectContaining({ change: 'removed', column: 'description_of_thermal_stress' }),
        expect.objectContaining({
          change: 'retyped',
          column: 'current_day_of_menstrual_cycle',
          from: 'bigint',
          to: 'text',
        }),
      ]),
    );
    expect([...merged.needsRecreate]).toEqual([now.name]);
  });

  it('removed columns read as typed NULLs in the SQL', () => {
    const merged = mergeWithPrevious(buildTemplateViews(v2()).views, before, {
      pruneRemoved: false,
      now: NOW,
    });
    const sql = viewSelectSql(target, view(merged.views, '__any_event'));
    expect(sql).toContain('NULL::text AS "description_of_thermal_stress"');
    expect(sql).not.toContain('/description_of_thermal_stress');
  });

  it('prunes removed columns and views only when asked', () => {
    const noObs = cloneTemplate(v1);
    noObs.tree.children = (noObs.tree.children ?? []).filter((c) => c.id !== 'body_temperature');
    const kept = mergeWithPrevious(buildTemplateViews(noObs).views, before, {
      pruneRemoved: false,
      now: NOW,
    });
    expect(kept.views.map((v) => [v.name, v.removedAt])).toEqual(
      before.map((v) => [v.name, v.kind === 'main' ? undefined : NOW]),
    );
    expect(kept.changes.filter((c) => c.change === 'view removed')).toHaveLength(2);
    const pruned = mergeWithPrevious(buildTemplateViews(noObs).views, kept.views, {
      pruneRemoved: true,
      now: NOW,
    });
    expect(pruned.views.map((v) => v.name)).toEqual([before[0]!.name]);
    expect(pruned.dropped.map((v) => v.name)).toEqual(before.slice(1).map((v) => v.name));
  });

  it('a data point that comes back gets its old column back', () => {
    const gone = mergeWithPrevious(buildTemplateViews(v2()).views, before, { pruneRemoved: false, now: NOW });
    const back = mergeWithPrevious(buildTemplateViews(v1).views, gone.views, {
      pruneRemoved: false,
      now: NOW,
    });
    const col = view(back.views, '__any_event').columns.find(
      (c) => c.name === 'description_of_thermal_stress',
    );
    expect(col?.removedAt).toBeUndefined();
    expect(back.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ change: 'restored', column: 'description_of_thermal_stress' }),
      ]),
    );
  });

  it('plans CREATE OR REPLACE for additions, a recreate for a retype, nothing when unchanged', () => {
    const previous = before.map((model) => ({
      model,
      materialized: false,
      definitionSql: definitionSelectSql(target, model, 'view'),
    }));
    const existing = new Map(before.map((v) => [v.name, 'view' as const]));
    const base = {
      target,
      previous,
      takenByOthers: new Set<string>(),
      existing,
      materialized: false,
      pruneRemoved: false,
      now: NOW,
    };
    const same = planTemplate({ ...base, template: v1 });
    expect(same.unchanged).toBe(true);

    const added = cloneTemplate(v1);
    nodeAt(added, 'body_temperature').children!.push(leaf('device', 'DV_TEXT'));
    const addPlan = planTemplate({ ...base, template: added });
    expect(addPlan.views.map((v) => v.action)).toEqual(['unchanged', 'replace', 'unchanged']);

    const retyped = planTemplate({ ...base, template: v2() });
    expect(retyped.views.map((v) => v.action)).toEqual(['unchanged', 'unchanged', 'recreate']);

    const materialized = planTemplate({ ...base, template: v1, materialized: true });
    expect(materialized.views.every((v) => v.action === 'recreate')).toBe(true);
  });
});
