import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../src/store/postgres/migrate/files.js';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { createTestDatabase } from '../../support/db.js';
import { at, flatContent, insertRows, rowsByKey, TEMPLATES, uuid } from './legacy-fixtures.js';

/**
 * The layout the original Rust code actually wrote: 001's tables, but compositions.id = the full version uid
 * with one row per version, and watermark ids `{template_id}_{ehr_id}`.
 */
const versionsOf = (i: number) => (i === 7 ? 11 : 1 + (i % 4));
const compositions = Array.from({ length: 40 }, (_, i) => i).flatMap((i) =>
  Array.from({ length: versionsOf(i) }, (_, v) => {
    const template = TEMPLATES[i % 2] ?? TEMPLATES[0];
    const uid = `${uuid(5, i)}::local.ehrbase.org::${v + 1}`;
    return {
      id: uid,
      ehr_id: uuid(6, i % 8),
      composition_uid: uid,
      template_id: template,
      time_committed: at(i * 100 + v),
      content: JSON.stringify(flatContent(template, i * 20 + v)),
      export_mode: i % 3 === 0 ? 'flatten' : 'preserve',
      exported_at: at(i * 100 + v + 50),
      atlas_version: i % 2 ? '2.3.0' : '2.4.0',
      checksum: null,
    };
  }),
);
const pairs = [...new Set(compositions.map((c) => `${c.template_id}|${c.ehr_id}`))];
const watermarks = pairs.map((p, k) => {
  const [template_id, ehr_id] = p.split('|');
  return {
    id: `${template_id}_${ehr_id}`,
    template_id,
    ehr_id,
    last_exported_timestamp: at(k * 9),
    last_exported_composition_uid: k % 2 ? null : `${uuid(5, k)}::local.ehrbase.org::1`,
    compositions_exported_count: k + 1,
    last_export_started_at: at(k * 9 - 3),
    last_export_completed_at: k % 3 ? at(k * 9 + 1) : null,
    last_export_status: ['completed', 'in_progress', 'failed', 'not_started'][k % 4],
  };
});

describe('upgrade of the layout the original Rust code wrote (version uid ids, {template}_{ehr} watermarks)', async () => {
  const db = await createTestDatabase({ migrated: false });
  await db.pool.query(readFileSync(join(migrationsDir(), '001_initial_schema.sql'), 'utf8'));
  await insertRows(db.pool, 'compositions', compositions);
  await insertRows(db.pool, 'watermarks', watermarks);
  const original = await rowsByKey(db.pool, 'compositions', 'id');

  it('the dry run explains the fold and changes nothing', async () => {
    const report = await migrate(db.pool, { schema: 'public', dryRun: true });
    const changes = report.steps.find((s) => s.kind === 'legacy-upgrade')?.changes ?? [];
    expect(changes.map((c) => c.check)).toEqual(['fold-version-rows', 'rewrite-watermark-ids']);
    expect(changes[0]?.description).toContain(`${compositions.length} row(s) use a version uid as id`);
    expect(changes[0]?.description).toContain('40 compositions');
    const n = await db.pool.query('SELECT count(*)::int AS n FROM compositions');
    expect(n.rows[0].n).toBe(compositions.length);
  });

  it('keeps the latest version of each composition with id = versioned-object uuid', async () => {
    await migrate(db.pool, { schema: 'public' });
    const rows = await rowsByKey(db.pool, 'compositions', 'id');
    expect(rows.size).toBe(40);
    for (let i = 0; i < 40; i++) {
      const latestUid = `${uuid(5, i)}::local.ehrbase.org::${versionsOf(i)}`;
      const row = rows.get(uuid(5, i));
      expect(row, uuid(5, i)).toEqual({ ...original.get(latestUid), id: uuid(5, i), deleted_at: null });
    }
  });

  it('moves every superseded version row, value for value, to compositions_legacy_versions', async () => {
    const legacy = await rowsByKey(db.pool, 'compositions_legacy_versions', 'id');
    expect(legacy.size + 40).toBe(compositions.length);
    for (const [id, row] of original) {
      const version = Number(id.split('::')[2]);
      const object = Number.parseInt(id.slice(24, 36), 16);
      if (version === versionsOf(object)) continue;
      expect(legacy.get(id), id).toEqual(row);
    }
    expect([...legacy.keys()]).not.toContain(`${uuid(5, 7)}::local.ehrbase.org::11`);
    expect([...legacy.keys()]).toContain(`${uuid(5, 7)}::local.ehrbase.org::9`);
  });

  it('rewrites watermark ids to {template_id}::{ehr_id} and keeps every other value', async () => {
    const rows = await rowsByKey(db.pool, 'watermarks', 'id');
    expect(rows.size).toBe(watermarks.length);
    for (const w of watermarks) {
      const row = rows.get(`${w.template_id}::${w.ehr_id}`);
      expect(row).toMatchObject({
        template_id: w.template_id,
        ehr_id: w.ehr_id,
        last_exported_composition_uid: w.last_exported_composition_uid,
        compositions_exported_count: w.compositions_exported_count,
        last_export_status: w.last_export_status,
        last_run_id: null,
      });
      expect(new Date(String(row?.last_exported_timestamp)).toISOString()).toBe(w.last_exported_timestamp);
      expect(row && 'legacy_id' in row).toBe(false);
    }
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.state).toBe('up-to-date');
    const ledger = await db.pool.query('SELECT adopted, note FROM atlas_schema_migrations WHERE version = 1');
    expect(ledger.rows[0]).toMatchObject({ adopted: true });
    expect(ledger.rows[0].note).toContain('compositions_legacy_versions');
  });
});
