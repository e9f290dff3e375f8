import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_MANIFEST } from '../../../sim/index.js';
import { createOpenEhrClient } from '../../../src/openehr/index.js';
import { openStore } from '../../../src/store/index.js';
import { dropViews, generateViews, listViews, regenerateViewsIfChanged } from '../../../src/views/index.js';
import { createTestDatabase } from '../../support/db.js';
import { fixtureFlat, insertCompositions, openDeps, rawTextPool, startSim, viewsContext } from './support.js';

const TEMPLATE = 'ehrbase_multi_occurrence.de.v1';
const EVENT_VIEW = 'ehrbase_multi_occurrence_de_v1__body_temperature__any_event';
const base = { materialized: false, dryRun: false, pruneRemoved: false, cascade: false };

/** Everything in the views schema and the bookkeeping tables: what "writes nothing" is checked against. */
async function snapshot(pool: ReturnType<typeof rawTextPool>) {
  const objects = await pool.query(
    `SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1, 2`,
  );
  const schemas = await pool.query('SELECT nspname FROM pg_namespace ORDER BY 1');
  const defs = await pool.query('SELECT * FROM view_definitions ORDER BY view_name');
  const wts = await pool.query('SELECT template_id, hash, fetched_at FROM web_templates ORDER BY 1');
  return { objects: objects.rows, schemas: schemas.rows, defs: defs.rows, wts: wts.rows };
}

describe('dry run', () => {
  it('prints the SQL and writes nothing, on a fresh database and on an existing generation', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    await insertCompositions(raw, [
      { templateId: TEMPLATE, flat: fixtureFlat('multi_occurrence.json'), mode: 'preserve' },
    ]);

    const before = await snapshot(raw);
    const [planned] = await generateViews(ctx, { db: store, client }, { ...base, dryRun: true });
    expect(planned?.status).toBe('planned');
    const sql = planned && 'sql' in planned ? (planned.sql ?? '') : '';
    expect(sql).toMatch(/^-- template ehrbase_multi_occurrence\.de\.v1/);
    expect(sql).toContain(`CREATE VIEW "atlas_views"."${EVENT_VIEW}" AS`);
    expect(sql).toContain('CREATE OR REPLACE FUNCTION "atlas_views".try_timestamptz(v text)');
    expect(sql.trimEnd().endsWith('COMMIT;')).toBe(true);
    expect(await snapshot(raw)).toEqual(before);

    // The printed script is what a generation would do: run by hand, it creates the same views.
    await raw.query(sql);
    expect((await raw.query(`SELECT count(*)::int AS n FROM atlas_views."${EVENT_VIEW}"`)).rows[0].n).toBe(
      '4',
    );
    await raw.query('DROP SCHEMA atlas_views CASCADE');

    await generateViews(ctx, { db: store, client }, base);
    const generated = await snapshot(raw);
    const [again] = await generateViews(
      ctx,
      { db: store, client },
      { ...base, dryRun: true, pruneRemoved: true, cascade: true },
    );
    expect(again?.status).toBe('unchanged');
    expect(await snapshot(raw)).toEqual(generated);
  });
});

describe('live compositions only', () => {
  it('a composition marked deleted leaves every view; other templates never show up', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    const [kept, gone] = await insertCompositions(raw, [
      { templateId: TEMPLATE, flat: fixtureFlat('multi_occurrence.json'), mode: 'preserve' },
      { templateId: TEMPLATE, flat: fixtureFlat('multi_occurrence.json'), mode: 'flatten' },
      { templateId: 'other.v1', flat: fixtureFlat('multi_occurrence.json'), mode: 'preserve' },
    ]);
    await raw.query('UPDATE compositions SET deleted_at = now() WHERE id = $1', [gone!.id]);
    await generateViews(ctx, { db: store, client }, { ...base, templateIds: [TEMPLATE] });
    for (const view of ['ehrbase_multi_occurrence_de_v1', EVENT_VIEW]) {
      const { rows } = await raw.query(`SELECT DISTINCT composition_id FROM atlas_views."${view}"`);
      expect(rows.map((r) => r.composition_id)).toEqual([kept!.id]);
    }
  });
});

describe('materialized views, refresh after export, list and drop', () => {
  it('refreshes materialized views of an unchanged template and refuses to lose an index silently', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url, '[views]\nenabled = true\nmaterialized = true\n');
    const { store, client } = await openDeps(ctx);
    const flat = fixtureFlat('multi_occurrence.json');
    await insertCompositions(raw, [{ templateId: TEMPLATE, flat, mode: 'flatten' }]);

    const [first] = await regenerateViewsIfChanged(ctx, store, client, [TEMPLATE]);
    expect(first?.status).toBe('created');
    const kinds = await raw.query(
      `SELECT relname, relkind FROM pg_class WHERE relnamespace = 'atlas_views'::regnamespace AND relkind IN ('v', 'm') ORDER BY 1`,
    );
    expect(kinds.rows.map((r) => r.relkind)).toEqual(['m', 'm', 'm']);
    const count = async () =>
      (await raw.query(`SELECT count(*)::int AS n FROM atlas_views."${EVENT_VIEW}"`)).rows[0].n;
    expect(await count()).toBe('4');

    // New data, same template: the next post-export call refreshes.
    await insertCompositions(raw, [{ templateId: TEMPLATE, flat, mode: 'preserve' }]);
    expect(await count()).toBe('4');
    const [second] = await regenerateViewsIfChanged(ctx, store, client, [TEMPLATE]);
    expect(second?.status).toBe('refreshed');
    expect(await count()).toBe('8');

    // A user's index on a materialized view would be dropped with it: switching to plain views is refused.
    await raw.query(`CREATE INDEX my_temp_idx ON atlas_views."${EVENT_VIEW}" (temperature_magnitude)`);
    const plainCtx = await viewsContext(sim, db.url, '[views]\nenabled = true\n');
    const [refused] = await regenerateViewsIfChanged(plainCtx, store, client, [TEMPLATE]);
    expect(refused).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/index atlas_views\.my_temp_idx/),
    });
    expect(
      (await raw.query(`SELECT to_regclass('atlas_views.my_temp_idx') IS NOT NULL AS ok`)).rows[0].ok,
    ).toBe('t');

    // Views off: nothing is touched.
    const offCtx = await viewsContext(sim, db.url);
    expect(await regenerateViewsIfChanged(offCtx, store, client, [TEMPLATE])).toEqual([]);

    const listed = await listViews(ctx, store);
    expect(listed.map((v) => [v.name, v.materialized, v.exists])).toEqual([
      ['ehrbase_multi_occurrence_de_v1', true, true],
      ['ehrbase_multi_occurrence_de_v1__body_temperature', true, true],
      [EVENT_VIEW, true, true],
    ]);

    await expect(dropViews(ctx, store, { cascade: false, dryRun: false })).rejects.toThrow(
      /my_temp_idx.*--cascade/,
    );
    const dry = await dropViews(ctx, store, { cascade: true, dryRun: true });
    expect(dry.sql).toContain(`DROP MATERIALIZED VIEW IF EXISTS "atlas_views"."${EVENT_VIEW}" CASCADE`);
    expect((await listViews(ctx, store)).length).toBe(3);
    const dropped = await dropViews(ctx, store, { cascade: true, dryRun: false });
    expect(dropped.droppedDependents).toEqual(['index atlas_views.my_temp_idx']);
    expect(await listViews(ctx, store)).toEqual([]);
    expect(
      (
        await raw.query(
          `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'atlas_views'::regnamespace AND relkind IN ('v', 'm', 'i')`,
        )
      ).rows[0].n,
    ).toBe('0');
  });
});

describe('server unreachable', () => {
  it('generates from the cached web template, and fails clearly without one', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    await insertCompositions(raw, [
      { templateId: TEMPLATE, flat: fixtureFlat('multi_occurrence.json'), mode: 'preserve' },
      { templateId: 'test_all_types.en.v1', flat: fixtureFlat('test_all_types.json'), mode: 'preserve' },
    ]);
    await generateViews(ctx, { db: store, client }, { ...base, templateIds: [TEMPLATE] });
    await raw.query(`DROP VIEW atlas_views."${EVENT_VIEW}"`);
    await sim.close();

    const offline = createOpenEhrClient(ctx);
    try {
      const outcomes = await generateViews(ctx, { db: store, client: offline }, base);
      expect(outcomes.map((o) => [o.templateId, o.status])).toEqual([
        [TEMPLATE, 'updated'],
        ['test_all_types.en.v1', 'failed'],
      ]);
      expect(outcomes[0]).toMatchObject({ source: 'cache' });
      expect(ctx.logs.some((l) => l.includes('generating views from the cached web template'))).toBe(true);
      expect(
        (await raw.query(`SELECT to_regclass('atlas_views."${EVENT_VIEW}"') IS NOT NULL AS ok`)).rows[0].ok,
      ).toBe('t');
    } finally {
      await offline.close();
    }
  });
});

describe('embedded database (PGlite)', () => {
  it('generates the same views, and they read the stored FLAT', async () => {
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const embedded = await viewsContext(sim, {
      embedded: mkdtempSync(join(tmpdir(), 'atlas-views-pglite-')),
    });
    const store = await openStore(embedded);
    const client = createOpenEhrClient(embedded);
    try {
      const flat = fixtureFlat('test_all_types.json');
      await store.query(
        `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version)
         VALUES ('c1', 'e1', 'c1::x::1', 'test_all_types.en.v1', now(), $1::jsonb, 'preserve', 'test')`,
        [JSON.stringify(flat)],
      );
      const [outcome] = await generateViews(
        embedded,
        { db: store, client },
        { ...base, templateIds: ['test_all_types.en.v1'] },
      );
      expect(outcome?.status).toBe('created');
      const { rows } = await store.query<Record<string, unknown>>(
        `SELECT quantity_magnitude::text AS q, count, date::text AS d, duration_any = interval '30 minutes' AS dur, boolean
           FROM atlas_views.test_all_types_en_v1__test_all_types`,
      );
      expect(rows).toEqual([
        { q: '636.3397240638733', count: '10', d: '2019-01-14', dur: true, boolean: true },
      ]);
    } finally {
      await client.close();
      await store.close();
    }
  });
});
