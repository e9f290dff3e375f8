import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_MANIFEST } from '../../../sim/index.js';
import { exportCompositions, planExport } from '../../../src/app/export.js';
import { silentProgress } from '../../../src/export/types.js';
import { dropViews, generateViews } from '../../../src/views/index.js';
import { loadStoredViews } from '../../../src/views/repository.js';
import { viewSelectSql } from '../../../src/views/view-sql.js';
import { adminQuery, createTestDatabase } from '../../support/db.js';
import {
  DEMO,
  fixtureFlat,
  insertCompositions,
  openDeps,
  rawTextPool,
  startSim,
  viewsContext,
} from './support.js';

/**
 * Repeating views read occurrence tables kept by triggers on `compositions` (docs/views.md). Whatever writes
 * the table — the export engine, a tombstone, a hard delete, a TRUNCATE, a hand-made UPDATE — every repeating
 * view must give, cell for cell, what the live SELECT over `compositions` gives (the definition the other
 * views tests check against the FLAT documents), at every moment, inside the writing transaction too.
 */
const base = { materialized: false, dryRun: false, pruneRemoved: false, cascade: false };
const MULTI = 'ehrbase_multi_occurrence.de.v1';

/** Rows as JSON text, sorted: the view's rows and the live SELECT's rows compare as multisets. */
async function rowsOf(db: Pick<pg.Pool, 'query'>, sql: string): Promise<string[]> {
  const { rows } = await db.query(`SELECT to_jsonb(v)::text AS r FROM (${sql}) AS v`);
  return rows.map((r: { r: string }) => r.r).sort();
}

/** Every repeating view of the templates against its live SELECT; returns the total row count compared. */
async function expectViewsMatchLive(
  typed: pg.Pool,
  db: Pick<pg.Pool, 'query'>,
  templateIds: string[],
): Promise<number> {
  // The recorded models are read through a pool with the driver's usual type parsing.
  const stored = (await loadStoredViews(typed, 'public', 'atlas_views')).filter(
    (s) => templateIds.includes(s.templateId) && s.model.kind === 'repeating',
  );
  expect(stored.length).toBeGreaterThan(0);
  let total = 0;
  for (const s of stored) {
    const target = { viewsSchema: 'atlas_views', dataSchema: 'public', templateId: s.templateId };
    const live = await rowsOf(db, viewSelectSql(target, s.model));
    const view = await rowsOf(db, `SELECT * FROM atlas_views."${s.model.name}"`);
    expect({ view: s.model.name, rows: view }).toEqual({ view: s.model.name, rows: live });
    total += live.length;
  }
  return total;
}

async function occurrenceObjects(raw: pg.Pool) {
  const tables = await raw.query(
    `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'atlas_views' AND c.relkind = 'r' ORDER BY 1`,
  );
  const triggers = await raw.query(
    `SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.compositions'::regclass AND NOT tgisinternal ORDER BY 1`,
  );
  return { tables: tables.rows.length, triggers: triggers.rows.length };
}

describe('occurrence tables', () => {
  it('follow every kind of write to compositions, inside the writing transaction too', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    const flat = fixtureFlat('multi_occurrence.json');
    const first = await insertCompositions(raw, [
      { templateId: MULTI, flat, mode: 'preserve' },
      { templateId: MULTI, flat, mode: 'flatten' },
    ]);
    await generateViews(ctx, { db: store, client }, base);
    const built = await expectViewsMatchLive(db.pool, raw, [MULTI]);
    expect(built).toBeGreaterThan(0);
    expect(await occurrenceObjects(raw)).toEqual({ tables: 2, triggers: 8 });

    // New rows after generation, in both stored forms.
    const later = await insertCompositions(raw, [
      { templateId: MULTI, flat, mode: 'flatten' },
      { templateId: MULTI, flat, mode: 'preserve' },
      { templateId: MULTI, flat, mode: 'preserve' },
    ]);
    expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe((built / 2) * 5);

    // A new version with other values and one occurrence fewer (keys of any_event:1 removed).
    await raw.query(
      `UPDATE compositions SET composition_uid = id || '::test::2',
              content = (SELECT jsonb_object_agg(k, CASE WHEN k LIKE '%|magnitude' THEN to_jsonb(99.5) ELSE v END)
                           FROM jsonb_each(content) AS e(k, v) WHERE k NOT LIKE '%/any_event:1/%')
        WHERE id = $1`,
      [later[2]!.id],
    );
    const afterUpdate = await expectViewsMatchLive(db.pool, raw, [MULTI]);
    expect(afterUpdate).toBeLessThan((built / 2) * 5);
    const { rows: edited } = await raw.query(
      `SELECT count(*) AS n FROM atlas_views.ehrbase_multi_occurrence_de_v1__body_temperature__any_event
        WHERE composition_id = $1 AND temperature_magnitude = 99.5`,
      [later[2]!.id],
    );
    expect(Number(edited[0].n)).toBeGreaterThan(0);

    // Tombstone, resurrection, hard delete, a row moved to another template.
    await raw.query('UPDATE compositions SET deleted_at = now() WHERE id = $1', [first[0]!.id]);
    expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(afterUpdate - built / 2);
    await raw.query('UPDATE compositions SET deleted_at = NULL WHERE id = $1', [first[0]!.id]);
    expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(afterUpdate);
    await raw.query('DELETE FROM compositions WHERE id = $1', [later[0]!.id]);
    await raw.query(`UPDATE compositions SET template_id = 'other.v1' WHERE id = $1`, [later[1]!.id]);
    expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(afterUpdate - built);

    // Inside an open transaction the writer sees its own rows; others see them at commit.
    const tx = await raw.connect();
    try {
      await tx.query('BEGIN');
      await tx.query(
        `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version)
         SELECT 'copy-' || id, ehr_id, 'copy-' || composition_uid, template_id, time_committed, content, export_mode, atlas_version
           FROM compositions WHERE id = $1`,
        [first[1]!.id],
      );
      expect(await expectViewsMatchLive(db.pool, tx, [MULTI])).toBe(afterUpdate - built / 2);
      expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(afterUpdate - built);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(afterUpdate - built / 2);

    await raw.query('TRUNCATE compositions');
    expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(0);
  });

  it('go with a switch to materialized views and with views drop, and come back', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    await insertCompositions(raw, [
      { templateId: MULTI, flat: fixtureFlat('multi_occurrence.json'), mode: 'preserve' },
    ]);
    await generateViews(ctx, { db: store, client }, base);
    expect(await occurrenceObjects(raw)).toEqual({ tables: 2, triggers: 8 });
    await generateViews(ctx, { db: store, client }, { ...base, materialized: true });
    expect(await occurrenceObjects(raw)).toEqual({ tables: 0, triggers: 0 });
    await generateViews(ctx, { db: store, client }, base);
    expect(await occurrenceObjects(raw)).toEqual({ tables: 2, triggers: 8 });
    expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBeGreaterThan(0);
    await dropViews(ctx, store, { cascade: false, dryRun: false });
    expect(await occurrenceObjects(raw)).toEqual({ tables: 0, triggers: 0 });
  });

  it('follow incremental exports with new versions and deletions, and full runs that delete rows', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: join(DEMO, 'manifest.json'), ehrs: 5, compositions: 40 });
    const templates = ['vital_signs.v1', 'lab_results.v1', 'problem_list.v1'];
    const exportOnce = async (mode: 'incremental' | 'full') => {
      const ctx = await viewsContext(
        sim,
        db.url,
        `[openehr.query]\ntemplate_ids = ${JSON.stringify(templates)}\n\n[export]\nmode = "${mode}"\ndeletions = "delete"\n\n[views]\nenabled = true\n`,
      );
      return exportCompositions(ctx, planExport(ctx, { reconcile: mode === 'full' }), {
        progress: silentProgress,
      });
    };
    await exportOnce('incremental');
    const initial = await expectViewsMatchLive(db.pool, raw, templates);
    expect(initial).toBeGreaterThan(0);

    const vitals = [...sim.control.liveCompositions('vital_signs.v1')];
    expect(vitals.length).toBeGreaterThan(2);
    sim.control.advanceClock(60_000);
    sim.control.update(vitals[0]!.objectId, {
      'vital_signs/blood_pressure:0/any_event:3/systolic|magnitude': 190,
      'vital_signs/blood_pressure:0/any_event:3/systolic|unit': 'mm[Hg]',
    });
    sim.control.delete(vitals[1]!.objectId);
    sim.control.commit('vital_signs.v1', sim.control.ehrId(1));
    await exportOnce('incremental');
    await expectViewsMatchLive(db.pool, raw, templates);
    const { rows } = await raw.query(
      `SELECT count(*) AS n FROM atlas_views.vital_signs_v1__blood_pressure__any_event
        WHERE composition_id = $1 AND any_event_index = 3 AND systolic_magnitude = 190`,
      [vitals[0]!.objectId],
    );
    expect(rows[0].n).toBe('1');

    sim.control.delete(vitals[2]!.objectId);
    await exportOnce('full');
    await expectViewsMatchLive(db.pool, raw, templates);
    const gone = await raw.query(
      `SELECT count(*) AS n FROM atlas_views.vital_signs_v1__blood_pressure__any_event
        WHERE composition_id = ANY($1::text[])`,
      [[vitals[1]!.objectId, vitals[2]!.objectId]],
    );
    expect(gone.rows[0].n).toBe('0');
  });

  it('are kept by writes of a role that has rights on compositions only (the trigger runs as their owner)', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    const flat = fixtureFlat('multi_occurrence.json');
    await insertCompositions(raw, [{ templateId: MULTI, flat, mode: 'preserve' }]);
    await generateViews(ctx, { db: store, client }, base);
    const one = await expectViewsMatchLive(db.pool, raw, [MULTI]);

    // Roles are cluster-wide: a unique name, dropped after the test (grants first, or DROP ROLE refuses).
    const role = `atlas_writer_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`);
    const u = new URL(db.url);
    u.username = role;
    u.password = 'pw';
    const writer = new pg.Pool({ connectionString: u.toString(), max: 1 });
    try {
      await db.pool.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await db.pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON compositions TO ${role}`);
      const { rows } = await writer.query(`SELECT has_schema_privilege('atlas_views', 'USAGE') AS ok`);
      expect(rows[0].ok).toBe(false);
      const [added] = await insertCompositions(writer, [{ templateId: MULTI, flat, mode: 'flatten' }]);
      expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(2 * one);
      await writer.query('UPDATE compositions SET deleted_at = now() WHERE id = $1', [added!.id]);
      await writer.query('DELETE FROM compositions WHERE id = $1', [added!.id]);
      expect(await expectViewsMatchLive(db.pool, raw, [MULTI])).toBe(one);
    } finally {
      await writer.end();
      await db.pool.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it('miss no composition committed while views generate builds the table', async () => {
    const db = await createTestDatabase();
    const raw = rawTextPool(db.url);
    const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
    const ctx = await viewsContext(sim, db.url);
    const { store, client } = await openDeps(ctx);
    const flat = fixtureFlat('multi_occurrence.json');
    await insertCompositions(raw, [{ templateId: MULTI, flat, mode: 'preserve' }]);
    // A writer's open transaction: the generation must wait for it rather than fill without its row.
    const tx = await raw.connect();
    let generation: Promise<unknown> | undefined;
    try {
      await tx.query('BEGIN');
      await tx.query(
        `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version)
         SELECT 'late-' || id, ehr_id, 'late-' || composition_uid, template_id, time_committed, content, export_mode, atlas_version
           FROM compositions`,
      );
      generation = generateViews(ctx, { db: store, client }, base);
      // Sequencing, not timing: commit only once the generation is blocked on the writer's lock.
      for (let i = 0; ; i++) {
        if (i > 1500) throw new Error('views generate never waited for the open writer');
        const { rows } = await db.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
              AND position('DO $atlas_views$' in query) > 0`,
        );
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    await generation;
    const { rows } = await raw.query(
      `SELECT count(DISTINCT composition_id) AS n FROM atlas_views.ehrbase_multi_occurrence_de_v1__body_temperature__any_event`,
    );
    expect(rows[0].n).toBe('2');
    await expectViewsMatchLive(db.pool, raw, [MULTI]);
  });
});
