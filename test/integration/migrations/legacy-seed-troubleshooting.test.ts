import { describe, expect, it } from 'vitest';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { createTestDatabase } from '../../support/db.js';
import {
  at,
  flatContent,
  insertRows,
  rowsByKey,
  SEED_TROUBLESHOOTING_DDL,
  TEMPLATES,
  uuid,
} from './legacy-fixtures.js';

const STATUS_VALUES = [
  'completed',
  'in_progress',
  'failed',
  'not_started',
  'interrupted',
  'Completed',
  'error',
  'running',
  'weird',
];
const STATUS_MAP: Record<string, string> = {
  Completed: 'completed',
  error: 'failed',
  running: 'in_progress',
  weird: 'failed',
};

const compositions = Array.from({ length: 90 }, (_, i) => {
  const template = TEMPLATES[i % 2] ?? TEMPLATES[0];
  return {
    id: uuid(7, i),
    ehr_id: `ehr-${i % 9}`,
    composition_uid: `${uuid(7, i)}::ehrbase.org::${1 + (i % 3)}`,
    template_id: template,
    archetype_node_id: 'openEHR-EHR-COMPOSITION.report.v1',
    time_committed: at(i * 5),
    content: JSON.stringify(flatContent(template, i)),
    export_mode: i % 4 === 0 ? 'flatten' : 'preserve',
    exported_at: at(i * 5 + 1),
  };
});
/** One watermark per (template, ehr) that has compositions, plus two for pairs without any. */
const watermarks = [
  ...Array.from({ length: 18 }, (_, k) => ({ template_id: TEMPLATES[k % 2] ?? '', ehr_id: `ehr-${k % 9}` })),
  { template_id: 'Other.v1', ehr_id: 'ehr-0' },
  { template_id: 'Other.v1', ehr_id: 'ehr-1' },
].map((w, k) => ({
  ...w,
  id: k % 2 ? `${w.template_id}::${w.ehr_id}` : `${w.template_id}_${w.ehr_id}`,
  export_status: STATUS_VALUES[k % STATUS_VALUES.length] ?? '',
}));

describe('upgrade of the seed troubleshooting layout (export_status, archetype_node_id, no atlas_version/checksum, no indexes)', async () => {
  const db = await createTestDatabase({ migrated: false });
  await db.pool.query(SEED_TROUBLESHOOTING_DDL);
  await insertRows(db.pool, 'compositions', compositions);
  await insertRows(db.pool, 'watermarks', watermarks);

  it('upgrades in place, carrying every composition value', async () => {
    const report = await migrate(db.pool, { schema: 'public' });
    const checks = report.steps.find((s) => s.kind === 'legacy-upgrade')?.changes?.map((c) => c.check);
    expect(checks).toContain('add-index');
    expect(checks).toContain('add-constraint');
    const rows = await rowsByKey(db.pool, 'compositions', 'id');
    expect(rows.size).toBe(compositions.length);
    for (const old of compositions) {
      const row = rows.get(old.id);
      expect(row).toMatchObject({
        ehr_id: old.ehr_id,
        composition_uid: old.composition_uid,
        template_id: old.template_id,
        archetype_node_id: old.archetype_node_id,
        content: JSON.parse(old.content),
        export_mode: old.export_mode,
        atlas_version: 'unknown',
        checksum: null,
      });
      expect(new Date(String(row?.time_committed)).toISOString()).toBe(old.time_committed);
      expect(new Date(String(row?.exported_at)).toISOString()).toBe(old.exported_at);
    }
  });

  it('derives the missing watermark columns from the stored compositions and maps unknown statuses', async () => {
    const rows = await rowsByKey(db.pool, 'watermarks', 'id');
    expect(rows.size).toBe(watermarks.length);
    for (const old of watermarks) {
      const row = rows.get(`${old.template_id}::${old.ehr_id}`);
      const pair = compositions.filter((c) => c.template_id === old.template_id && c.ehr_id === old.ehr_id);
      const mapped = STATUS_MAP[old.export_status];
      expect(row).toMatchObject({
        template_id: old.template_id,
        ehr_id: old.ehr_id,
        last_export_status: mapped ?? old.export_status,
        legacy_last_export_status: mapped ? old.export_status : null,
        compositions_exported_count: pair.length,
        last_exported_composition_uid: null,
        last_export_completed_at: null,
      });
      const latest = pair
        .map((c) => c.time_committed)
        .sort()
        .at(-1);
      const ts = new Date(String(row?.last_exported_timestamp));
      if (latest) expect(ts.toISOString()).toBe(latest);
      // No composition for the pair: the upgrade's now(), later than every fixture time (all in 2024).
      else expect(ts.getTime()).toBeGreaterThan(Date.UTC(2025, 0, 1));
      expect(row?.last_export_started_at).toBe(row?.last_exported_timestamp);
    }
  });

  it('ends at the current schema with the seed indexes and constraints', async () => {
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.state).toBe('up-to-date');
    for (const t of status.tables) {
      expect(
        [...t.columns, ...t.constraints, ...t.indexes].filter(
          (x) => x.status !== 'ok' && x.status !== 'extra',
        ),
      ).toEqual([]);
    }
    await expect(
      db.pool.query(
        `INSERT INTO watermarks (id, template_id, ehr_id, last_exported_timestamp, last_export_started_at, last_export_status)
         VALUES ('x::y', 'x', 'y', now(), now(), 'bogus')`,
      ),
    ).rejects.toThrow(/valid_export_status/);
  });
});
