import { describe, expect, it } from 'vitest';
import { normaliseDefault } from '../../../src/store/postgres/migrate/expected-schema.js';
import { ledgerInsertSql } from '../../../src/store/postgres/migrate/ledger.js';
import { mapLegacyValue } from '../../../src/store/postgres/migrate/legacy/value-mapping.js';
import { migrationLockKey } from '../../../src/store/postgres/migrate/lock.js';

describe('legacy value mappings (documented in migrations/README.md)', () => {
  it.each([
    ['preserve', 'preserve'],
    ['flatten', 'flatten'],
    ['full', 'preserve'],
    ['dry_run', 'preserve'],
    ['Flattened', 'flatten'],
    [' FLAT ', 'flatten'],
  ])('export_mode %j → %j', (from, to) => {
    expect(mapLegacyValue('compositions', 'export_mode', from)).toBe(to);
  });

  it.each([
    ['interrupted', 'interrupted'],
    ['Completed', 'completed'],
    ['in progress', 'in_progress'],
    ['running', 'in_progress'],
    ['success', 'completed'],
    ['error', 'failed'],
    ['cancelled', 'interrupted'],
    ['pending', 'not_started'],
    ['something else', 'failed'],
  ])('watermark status %j → %j', (from, to) => {
    expect(mapLegacyValue('watermarks', 'last_export_status', from)).toBe(to);
  });
});

describe('small rules', () => {
  it('defaults compare without casts, quotes of sequence names or case', () => {
    expect(normaliseDefault("'running'::text")).toBe("'running'");
    expect(normaliseDefault("nextval('atlas.export_runs_id_seq'::regclass)")).toBe(
      "nextval('export_runs_id_seq')",
    );
    expect(normaliseDefault('NOW()')).toBe('now()');
    expect(normaliseDefault(null)).toBeNull();
  });

  it('the ledger INSERT is literal SQL with quoted values and a server-measured duration', () => {
    const sql = ledgerInsertSql({
      version: 1,
      name: '001_x.sql',
      checksum: 'ab',
      atlasVersion: '1.0',
      adopted: true,
      note: "it's adopted",
    });
    expect(sql).toBe(
      'INSERT INTO atlas_schema_migrations (version, name, checksum, atlas_version, duration_ms, adopted, note) VALUES ' +
        "(1, '001_x.sql', 'ab', '1.0', (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer, true, 'it''s adopted')",
    );
  });

  it('lock keys are stable, differ per schema and fit a signed bigint', () => {
    expect(migrationLockKey('public')).toBe(migrationLockKey('public'));
    expect(migrationLockKey('public')).not.toBe(migrationLockKey('atlas'));
    const k = BigInt(migrationLockKey('atlas'));
    expect(k >= -(2n ** 63n) && k < 2n ** 63n).toBe(true);
  });
});
