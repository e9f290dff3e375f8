import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_MANIFEST } from '../../../sim/index.js';
import { generateViews } from '../../../src/views/index.js';
import { createTestDatabase } from '../../support/db.js';
import { flatValue, occurrences, sameValue } from './flat-expect.js';
import { columnsOf, PG_TYPE, parseIntArray, recordedViews } from './recorded.js';
import {
  DEMO,
  demoTemplates,
  FIXTURE_TEMPLATES,
  fixtureFlat,
  type InsertedRow,
  insertCompositions,
  openDeps,
  rawTextPool,
  startSim,
  viewsContext,
} from './support.js';

/**
 * Every template with a web template (the shared EHRbase fixtures and the demo templates) gets views whose
 * every cell equals the FLAT value it comes from, for every fixture composition stored in both forms.
 */
const db = await createTestDatabase();
const raw = rawTextPool(db.url);

const sets = [
  {
    name: 'shared EHRbase fixtures',
    dataDir: SHARED_FIXTURES_MANIFEST,
    templates: FIXTURE_TEMPLATES.map((t) => ({ templateId: t.templateId, flats: t.flats.map(fixtureFlat) })),
  },
  { name: 'demo templates', dataDir: join(DEMO, 'manifest.json'), templates: demoTemplates() },
];

/** FLAT keys no view column is expected to carry (docs/views.md, "What is not a column"). */
const NOT_A_COLUMN = [
  /^ctx\//, // input-only context shortcuts
  /\/_[a-z_]+(?::\d+)?(?:[|/]|$)/, // RM attributes outside the template (_uid, _end_time, _link …)
  /\/(?:language|encoding|subject)\|[a-z_]+$/, // ENTRY language/encoding/subject (composition level are columns)
];

describe.each(sets)('$name', ({ dataDir, templates }) => {
  const inserted: InsertedRow[] = [];
  let outcomes: Awaited<ReturnType<typeof generateViews>> = [];

  beforeAll(async () => {
    const sim = await startSim({ dataDir });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    for (const t of templates) {
      for (const flat of t.flats) {
        // The same composition twice, for the same patient: once per stored form.
        const ehrId = crypto.randomUUID();
        inserted.push(
          ...(await insertCompositions(raw, [
            { templateId: t.templateId, flat, mode: 'preserve', ehrId },
            { templateId: t.templateId, flat, mode: 'flatten', ehrId },
          ])),
        );
      }
    }
    outcomes = await generateViews(
      ctx,
      { db: store, client },
      {
        templateIds: templates.map((t) => t.templateId),
        materialized: false,
        dryRun: false,
        pruneRemoved: false,
        cascade: false,
      },
    );
  });

  it('creates the views of every template from the web template the server serves', () => {
    expect(outcomes.map((o) => [o.templateId, o.status])).toEqual(
      templates.map((t) => [t.templateId, 'created']),
    );
  });

  it.each(templates)(
    '$templateId: every cell equals its FLAT value, and repeating nodes give one row per occurrence',
    async ({ templateId }) => {
      const views = await recordedViews(raw, templateId);
      expect(views.length).toBeGreaterThan(0);
      expect(views.filter((v) => v.kind === 'main')).toHaveLength(1);
      const rowsOfTemplate = inserted.filter((r) => r.templateId === templateId);
      let cellsChecked = 0;
      for (const view of views) {
        const { rows } = await raw.query(`SELECT * FROM atlas_views."${view.view_name}"`);
        for (const composition of rowsOfTemplate) {
          const mine = rows.filter((r) => r.composition_id === composition.id);
          const expected = view.kind === 'main' ? [[]] : occurrences(composition.flat, view.node_path);
          const actual = mine.map((r) => (view.kind === 'main' ? [] : parseIntArray(r.index_path)));
          expect(sortTuples(actual), `${view.view_name} occurrences of ${composition.mode}`).toEqual(
            sortTuples(expected),
          );
          for (const row of mine) {
            expect(row.ehr_id).toBe(composition.ehrId);
            const indices = view.kind === 'main' ? [] : parseIntArray(row.index_path);
            view.index_columns.forEach((c, i) => {
              expect(Number(row[c])).toBe(indices[i]);
            });
            for (const col of view.columns) {
              const want = flatValue(composition.flat, col, indices);
              expect(
                sameValue(col.sqlType, row[col.name], want),
                `${view.view_name}.${col.name} (${col.path}) [${indices}] ${composition.mode}: ${row[col.name]} vs ${JSON.stringify(want)}`,
              ).toBe(true);
              cellsChecked++;
            }
          }
        }
      }
      expect(cellsChecked).toBeGreaterThan(0);
    },
  );

  it.each(templates)(
    '$templateId: every FLAT value is in some view, except what is documented not to be',
    async ({ templateId }) => {
      const views = await recordedViews(raw, templateId);
      const paths = new Set(
        views.flatMap((v) =>
          v.columns.flatMap((c) => [
            c.path,
            ...(c.alternatives ?? []).map((a) => c.path.replace(/\|[^|/]*$/, `|${a}`)),
          ]),
        ),
      );
      for (const flat of templates.find((t) => t.templateId === templateId)!.flats) {
        const uncovered = Object.keys(flat).filter((k) => !paths.has(k.replace(/:\d+(?=[/|]|$)/g, ':*')));
        const unexplained = uncovered.filter((k) => !NOT_A_COLUMN.some((re) => re.test(k)));
        expect(unexplained).toEqual([]);
      }
    },
  );

  it.each(templates)(
    '$templateId: preserve and flatten content give the same rows',
    async ({ templateId }) => {
      for (const view of await recordedViews(raw, templateId)) {
        const { rows } = await raw.query(`SELECT * FROM atlas_views."${view.view_name}"`);
        const forms = (mode: string) =>
          rows
            .filter((r) => inserted.some((c) => c.id === r.composition_id && c.mode === mode))
            // Only what comes from the content (ids, uid and commit time differ between the two stored rows).
            .map(({ composition_id: _id, composition_uid: _uid, time_committed: _t, ...rest }) =>
              JSON.stringify(rest),
            )
            .sort();
        expect(forms('flatten'), view.view_name).toEqual(forms('preserve'));
      }
    },
  );

  it.each(templates)(
    '$templateId: columns are typed per RM type and commented with FLAT path and name',
    async ({ templateId }) => {
      for (const view of await recordedViews(raw, templateId)) {
        const actual = await columnsOf(raw, 'atlas_views', view.view_name);
        const byName = new Map(actual.map((c) => [c.name, c]));
        for (const col of view.columns) {
          expect(byName.get(col.name)?.type, `${view.view_name}.${col.name}`).toBe(PG_TYPE[col.sqlType]);
          expect(byName.get(col.name)?.comment).toContain(`FLAT ${col.path}`);
          expect(byName.get(col.name)?.comment).toContain(col.label);
          expect(Buffer.byteLength(col.name)).toBeLessThanOrEqual(63);
        }
        expect(new Set(actual.map((c) => c.name)).size).toBe(actual.length);
      }
    },
  );
});

function sortTuples(t: number[][]): string[] {
  return t.map((x) => x.join(',')).sort();
}
