import { describe, expect, it } from 'vitest';
import { byteLength } from '../../../src/views/identifiers.js';
import { buildTemplateViews } from '../../../src/views/model.js';
import type { TemplateViews } from '../../../src/views/types.js';
import { DEMO_WT_DIR, fixtureWebTemplate, leaf, syntheticTemplate } from './wt-fixtures.js';

const FILES = [
  'AlternativeEvents.json',
  'corona_anamnese.json',
  'multi_occurrence.json',
  'test_all_types.json',
];
const DEMO_FILES = ['vital_signs.json', 'lab_results.json', 'problem_list.json'];

function columnTypes(views: TemplateViews, viewName: string): Record<string, string> {
  const view = views.views.find((v) => v.name === viewName);
  if (!view) throw new Error(`no view ${viewName}: ${views.views.map((v) => v.name).join(', ')}`);
  return Object.fromEntries(view.columns.map((c) => [c.name, c.sqlType]));
}

function expectValidNames(views: TemplateViews): void {
  const viewNames = views.views.map((v) => v.name);
  expect(new Set(viewNames).size).toBe(viewNames.length);
  for (const v of views.views) {
    const names = [...v.indexColumns, ...v.columns.map((c) => c.name)];
    expect(new Set(names).size, v.name).toBe(names.length);
    for (const n of [v.name, ...names]) {
      expect(byteLength(n)).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^(?![0-9])(?:[a-z0-9_]|[^\x00-\x7f])+$/u);
    }
  }
}

describe('view model from the web template', () => {
  it.each([...FILES.map((f) => [f, undefined]), ...DEMO_FILES.map((f) => [f, DEMO_WT_DIR])])(
    '%s: valid, unique names; paths follow the FLAT grammar',
    (file, dir) => {
      const views = buildTemplateViews(fixtureWebTemplate(file as string, dir as string | undefined));
      expectValidNames(views);
      for (const v of views.views) {
        for (const c of v.columns) {
          expect(c.path.startsWith(`${views.rootId}/`)).toBe(true);
          expect(c.path.startsWith(v.nodePath)).toBe(true);
          // Inline bytes never become a column.
          expect(c.path).not.toMatch(/\|data$|_thumbnail/);
        }
      }
    },
  );

  it('maps every RM type of test_all_types to its typed columns', () => {
    const views = buildTemplateViews(fixtureWebTemplate('test_all_types.json'));
    expect(columnTypes(views, 'test_all_types_en_v1__test_all_types')).toEqual({
      text: 'text',
      coded_text_code: 'text',
      coded_text_value: 'text',
      coded_text_terminology: 'text',
      coded_text_terminology_code: 'text',
      coded_text_terminology_value: 'text',
      coded_text_terminology_terminology: 'text',
      quantity_magnitude: 'numeric',
      quantity_unit: 'text',
      count: 'bigint',
      date: 'date',
      datetime: 'timestamptz',
      datetime_any: 'timestamptz',
      time: 'time',
      ordinal_ordinal: 'integer',
      ordinal_code: 'text',
      ordinal_value: 'text',
      boolean: 'boolean',
      duration_any: 'interval',
      multimedia_any: 'text',
      multimedia_any_media_type: 'text',
      multimedia_any_size: 'bigint',
      parsable_any: 'text',
      parsable_any_formalism: 'text',
      identifier: 'text',
      identifier_issuer: 'text',
      identifier_assigner: 'text',
      identifier_type: 'text',
      proportion_any: 'numeric',
      proportion_any_numerator: 'numeric',
      proportion_any_denominator: 'numeric',
      proportion_any_type: 'integer',
      time2: 'timestamptz',
    });
    const second = columnTypes(views, 'test_all_types_en_v1__test_all_types2');
    expect(second).toMatchObject({
      uri: 'text',
      interval_count__upper: 'bigint',
      interval_quantity__lower_magnitude: 'numeric',
      interval_datetime__upper: 'timestamptz',
      quantity_value_magnitude: 'numeric',
      count_value: 'bigint',
      text_2: 'text',
    });
  });

  it('gives one view per repeating node, indexed by every repeating node above it', () => {
    const views = buildTemplateViews(fixtureWebTemplate('multi_occurrence.json'));
    expect(views.views.map((v) => [v.name, v.nodePath, v.indexColumns])).toEqual([
      ['ehrbase_multi_occurrence_de_v1', '', []],
      [
        'ehrbase_multi_occurrence_de_v1__body_temperature',
        'encounter/body_temperature:*',
        ['body_temperature_index'],
      ],
      [
        'ehrbase_multi_occurrence_de_v1__body_temperature__any_event',
        'encounter/body_temperature:*/any_event:*',
        ['body_temperature_index', 'any_event_index'],
      ],
    ]);
    const event = views.views[2]!;
    expect(event.columns.find((c) => c.name === 'temperature_magnitude')?.path).toBe(
      'encounter/body_temperature:*/any_event:*/temperature|magnitude',
    );
    // An EVENT may be an INTERVAL_EVENT at run time: width and math_function are columns too.
    expect(event.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['width', 'math_function_code']));
  });

  it('keeps the composition context and skips the language/encoding/subject of every entry', () => {
    const views = buildTemplateViews(fixtureWebTemplate('multi_occurrence.json'));
    const main = columnTypes(views, 'ehrbase_multi_occurrence_de_v1');
    expect(main).toMatchObject({
      start_time: 'timestamptz',
      setting_code: 'text',
      category_value: 'text',
      language_code: 'text',
      territory_code: 'text',
      composer_name: 'text',
    });
    const all = views.views.flatMap((v) => v.columns.map((c) => c.path));
    expect(all.filter((p) => /body_temperature.*\/(language|encoding|subject)\|/.test(p))).toEqual([]);
  });

  it('tells clashing data points apart by their nearest distinguishing ancestor', () => {
    const views = buildTemplateViews(fixtureWebTemplate('corona_anamnese.json'));
    const main = columnTypes(views, 'corona_anamnese');
    expect(Object.keys(main)).toEqual(
      expect.arrayContaining([
        'husten__vorhanden_code',
        'schnupfen__vorhanden_code',
        'husten__time',
        'temperatur_magnitude',
      ]),
    );
  });

  it('indexes a node with max > 1 and not one with max 1', () => {
    const views = buildTemplateViews(
      syntheticTemplate('t', [
        { id: 'obs', rmType: 'OBSERVATION', min: 0, max: 2, children: [leaf('a', 'DV_COUNT')] },
        { id: 'one', rmType: 'OBSERVATION', min: 0, max: 1, children: [leaf('b', 'DV_COUNT')] },
      ]),
    );
    expect(views.views.map((v) => v.nodePath)).toEqual(['', 'root/obs:*']);
    expect(views.views[0]!.columns.map((c) => c.path)).toEqual(['root/one/b']);
  });

  it('gives valid, unique identifiers for odd ids: Unicode, dots, leading digits, 200 characters, duplicates', () => {
    const long = `${'sehr_langer_name_'.repeat(12)}ende`;
    const views = buildTemplateViews(
      syntheticTemplate('Odd.Template-ID v1.0', [
        {
          id: 'körper.gewicht',
          rmType: 'OBSERVATION',
          min: 0,
          max: -1,
          children: [
            leaf('1st.value', 'DV_QUANTITY'),
            leaf('температура', 'DV_QUANTITY'),
            leaf(long, 'DV_CODED_TEXT'),
            leaf(`${long}_2`, 'DV_CODED_TEXT'),
            leaf('composition_id', 'DV_TEXT'),
            leaf('index_path', 'DV_TEXT'),
            { id: 'a', rmType: 'CLUSTER', children: [leaf('x', 'DV_TEXT')] },
            { id: 'b', rmType: 'CLUSTER', children: [leaf('x', 'DV_TEXT')] },
            { id: 'körper_gewicht_index', rmType: 'CLUSTER', children: [leaf('x', 'DV_TEXT')] },
          ],
        },
        {
          id: 'x',
          rmType: 'OBSERVATION',
          max: -1,
          children: [{ id: 'x', rmType: 'EVENT', max: -1, children: [leaf('x', 'DV_BOOLEAN')] }],
        },
        { id: `${long}_obs`, rmType: 'OBSERVATION', max: -1, children: [leaf('v', 'DV_COUNT')] },
      ]),
    );
    expectValidNames(views);
    expect(views.views.map((v) => v.name)).toEqual([
      'odd_template_id_v1_0',
      'odd_template_id_v1_0__koerper_gewicht',
      'odd_template_id_v1_0__x__x',
      expect.stringMatching(/^odd_template_id_v1_0__sehr_langer_name.*_[0-9a-f]{8}$/),
    ]);
    const obs = views.views[1]!;
    expect(obs.indexColumns).toEqual(['koerper_gewicht_index']);
    const names = obs.columns.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '_1st_value_magnitude',
        'температура_magnitude',
        'composition_id_2',
        'index_path_2',
        'a__x',
        'b__x',
      ]),
    );
    // Two 200-character siblings: distinct names, attribute kept.
    const longOnes = names.filter((n) => n.startsWith('sehr_langer_name'));
    expect(longOnes).toHaveLength(6);
    expect(longOnes.filter((n) => n.endsWith('_code'))).toHaveLength(2);
    // The nested x/x view has both index columns, deduplicated.
    expect(views.views[2]!.indexColumns).toEqual(['x_index', 'x_index_2']);
  });

  it('is deterministic: the same web template gives the same names', () => {
    const a = buildTemplateViews(fixtureWebTemplate('corona_anamnese.json'));
    const b = buildTemplateViews(fixtureWebTemplate('corona_anamnese.json'));
    expect(a).toEqual(b);
  });

  it('avoids view names other templates already use', () => {
    const wt = fixtureWebTemplate('multi_occurrence.json');
    const views = buildTemplateViews(wt, new Set(['ehrbase_multi_occurrence_de_v1']));
    expect(views.views[0]!.name).toBe('ehrbase_multi_occurrence_de_v1_2');
  });
});
