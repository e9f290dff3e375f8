import { describe, expect, it } from 'vitest';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { createTestDatabase } from '../../support/db.js';
import { at, flatContent, insertRows, rowsByKey, SETUP_DOC_DDL, TEMPLATES, uuid } from './legacy-fixtures.js';
import { schemaSnapshot, withClient } from './schema-snapshot.js';

const MODES = ['preserve', 'flatten', 'full', 'Flattened', 'dry_run'];
const MODE_MAP: Record<string, string> = {
  preserve: 'preserve',
  flatten: 'flatten',
  full: 'preserve',
  Flattened: 'flatten',
  dry_run: 'preserve',
};
const STATUSES = ['completed', 'in_progress', 'failed', 'not_started'];

const compositions = Array.from({ length: 150 }, (_, i) => {
  const template = TEMPLATES[i % 2] ?? TEMPLATES[0];
  return {
    id: uuid(1, i),
    ehr_id: uuid(2, i % 15),
    template_id: template,
    archetype_node_id: `openEHR-EHR-COMPOSITION.${i % 2 ? 'encounter' : 'report'}.v1`,
    time_committed: at(i * 7),
    content: JSON.stringify(flatContent(template, i)),
    export_mode: MODES[i % MODES.length],
    exported_at: at(i * 7 + 3),
  };
});

const watermarks = Array.from({ length: 30 }, (_, k) => ({
  id: uuid(3, k),
  template_id: TEMPLATES[k % 2],
  ehr_id: uuid(2, k % 15),
  last_composition_id: k % 4 === 0 ? null : uuid(1, k),
  last_time_committed: k % 3 === 0 ? null : at(k * 11),
  last_export_time: at(k * 13),
  export_status: STATUSES[k % 4],
  updated_at: at(k * 13 + 5),
}));

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

describe("upgrade of the original's documented manual schema (UUID ids, archetype_node_id, export_status, …)", async () => {
  const db = await createTestDatabase({ migrated: false });
  await db.pool.query(SETUP_DOC_DDL);
  await insertRows(db.pool, 'compositions', compositions);
  await insertRows(db.pool, 'watermarks', watermarks);
  const before = await withClient(db.pool, (c) => schemaSnapshot(c));

  it('status and dry run describe the upgrade and change nothing', async () => {
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.state).toBe('legacy');
    expect(status.legacyBlockers).toEqual([]);
    const report = await migrate(db.pool, { schema: 'public', dryRun: true });
    const upgrade = report.steps.find((s) => s.kind === 'legacy-upgrade');
    const checks = new Set(upgrade?.changes?.map((c) => c.check));
    for (const c of [
      'rename-column',
      'column-type',
      'drop-default',
      'add-column',
      'map-values',
      'fill-column',
      'rewrite-watermark-ids',
      'set-not-null',
      'keep-extra-columns',
      'rename-constraint',
      'rename-index',
    ]) {
      expect(checks, c).toContain(c);
    }
    const descriptions = upgrade?.changes?.map((c) => c.description).join('\n');
    expect(descriptions).toContain('watermarks: rename column export_status to last_export_status');
    expect(descriptions).toContain("'full' (30 rows) → 'preserve'");
    expect(upgrade?.sql).toContain(
      'ALTER TABLE "watermarks" RENAME COLUMN "last_time_committed" TO "last_exported_timestamp"',
    );
    expect(await withClient(db.pool, (c) => schemaSnapshot(c))).toEqual(before);
    const ledger = await db.pool.query(`SELECT to_regclass('public.atlas_schema_migrations') AS t`);
    expect(ledger.rows[0].t).toBeNull();
  });

  it('upgrades in place: every composition row and value carried over', async () => {
    const report = await migrate(db.pool, { schema: 'public' });
    expect(report.steps.map((s) => s.kind)).toContain('legacy-upgrade');
    const rows = await rowsByKey(db.pool, 'compositions', 'id');
    expect(rows.size).toBe(compositions.length);
    for (const old of compositions) {
      const row = rows.get(old.id);
      expect(row, old.id).toBeDefined();
      expect(row).toMatchObject({
        id: old.id,
        ehr_id: old.ehr_id,
        template_id: old.template_id,
        archetype_node_id: old.archetype_node_id,
        content: JSON.parse(old.content),
        export_mode: MODE_MAP[old.export_mode ?? ''],
        legacy_export_mode: MODE_MAP[old.export_mode ?? ''] === old.export_mode ? null : old.export_mode,
        composition_uid: old.id,
        atlas_version: 'unknown',
        checksum: null,
        deleted_at: null,
      });
      expect(iso(row?.time_committed)).toBe(old.time_committed);
      expect(iso(row?.exported_at)).toBe(old.exported_at);
    }
  });

  it('upgrades in place: every watermark row and value carried over, ids now {template_id}::{ehr_id}', async () => {
    const rows = await rowsByKey(db.pool, 'watermarks', 'legacy_id');
    expect(rows.size).toBe(watermarks.length);
    for (const old of watermarks) {
      const row = rows.get(old.id);
      const pair = compositions.filter((c) => c.template_id === old.template_id && c.ehr_id === old.ehr_id);
      const latest = pair
        .map((c) => c.time_committed)
        .sort()
        .at(-1);
      expect(row).toMatchObject({
        id: `${old.template_id}::${old.ehr_id}`,
        template_id: old.template_id,
        ehr_id: old.ehr_id,
        last_exported_composition_uid: old.last_composition_id,
        last_export_status: old.export_status,
        compositions_exported_count: pair.length,
      });
      expect(iso(row?.last_exported_timestamp)).toBe(old.last_time_committed ?? latest);
      expect(iso(row?.last_export_started_at)).toBe(old.last_export_time);
      expect(iso(row?.updated_at)).toBe(old.updated_at);
      const finished = old.export_status === 'completed' || old.export_status === 'failed';
      expect(iso(row?.last_export_completed_at)).toBe(finished ? old.updated_at : null);
    }
  });

  it('leaves the seed schema (plus the kept columns), adopted in the ledger, usable by Atlas', async () => {
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.state).toBe('up-to-date');
    for (const t of status.tables) {
      expect(
        [...t.columns, ...t.constraints, ...t.indexes].filter(
          (x) => x.status !== 'ok' && x.status !== 'extra',
        ),
      ).toEqual([]);
    }
    const extra = status.tables.flatMap((t) =>
      t.columns.filter((c) => c.status === 'extra').map((c) => `${t.name}.${c.name}`),
    );
    expect(extra.sort()).toEqual([
      'compositions.archetype_node_id',
      'compositions.legacy_export_mode',
      'watermarks.legacy_id',
      'watermarks.updated_at',
    ]);
    const indexes = await db.pool.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'compositions' ORDER BY 1`,
    );
    expect(indexes.rows.map((r) => r.indexname)).not.toContain('idx_compositions_composite');
    const ledger = await db.pool.query('SELECT adopted, note FROM atlas_schema_migrations WHERE version = 1');
    expect(ledger.rows[0].adopted).toBe(true);
    expect(ledger.rows[0].note).toMatch(/^legacy layout upgraded in place: /);
    await db.pool.query(
      `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version, checksum)
       VALUES ($1, 'e', $2, 'T', now(), '{}', 'preserve', 'x', 'c')
       ON CONFLICT (id) DO UPDATE SET composition_uid = EXCLUDED.composition_uid`,
      [uuid(1, 0), `${uuid(1, 0)}::ehrbase.org::2`],
    );
    await db.pool.query(
      `INSERT INTO watermarks (id, template_id, ehr_id, last_exported_timestamp, last_export_started_at, last_export_status)
       VALUES ('T::e', 'T', 'e', now(), now(), 'interrupted')`,
    );
  });

  it('--drop-legacy-columns drops the kept columns only when asked', async () => {
    const dry = await migrate(db.pool, { schema: 'public', dropLegacyColumns: true, dryRun: true });
    expect(dry.steps.map((s) => s.kind)).toEqual(['drop-legacy-columns']);
    expect(dry.steps[0]?.sql).toContain('ALTER TABLE "compositions" DROP COLUMN "archetype_node_id"');
    await migrate(db.pool, { schema: 'public', dropLegacyColumns: true });
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.tables.flatMap((t) => t.columns.filter((c) => c.status === 'extra'))).toEqual([]);
    const n = await db.pool.query('SELECT count(*)::int AS n FROM compositions');
    expect(n.rows[0].n).toBe(compositions.length);
  });
});
