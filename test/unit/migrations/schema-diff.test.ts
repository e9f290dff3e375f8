import { describe, expect, it } from 'vitest';
import type { Catalog, TableInfo } from '../../../src/store/postgres/migrate/catalog.js';
import { EXPECTED_TABLES } from '../../../src/store/postgres/migrate/expected-schema.js';
import { migrationObjects } from '../../../src/store/postgres/migrate/migration-objects.js';
import { formatReport } from '../../../src/store/postgres/migrate/report-text.js';
import {
  blockingProblems,
  compareSchema,
  restoreStatements,
} from '../../../src/store/postgres/migrate/schema-diff.js';

/** A catalog exactly as the expected schema describes it (what the migrator produces). */
function perfectCatalog(): Catalog {
  const tables = new Map<string, TableInfo>();
  for (const t of EXPECTED_TABLES) {
    tables.set(t.name, {
      name: t.name,
      owner: 'atlas',
      columns: t.columns.map((c) => ({
        name: c.name,
        type: c.type,
        notNull: c.notNull,
        default: c.default ?? null,
      })),
      constraints: t.constraints.map((c, i) => ({
        name: c.name ?? `${t.name}_c${i}`,
        type: c.kind === 'primary' ? 'p' : c.kind === 'unique' ? 'u' : 'c',
        columns: c.columns,
        definition: c.mentions
          ? `CHECK (x IN (${c.mentions.map((m) => `'${m}'`).join(', ')}))`
          : c.definition,
      })),
      indexes: t.indexes.map((i) => ({ name: i.name, shape: i.shape, constraintBacked: false })),
    });
  }
  return { schema: 'public', schemaExists: true, tables };
}

const objects = migrationObjects([]);

/** The newest migration the expected schema describes (a table, column, constraint or index of it). */
const LATEST = Math.max(
  ...EXPECTED_TABLES.flatMap((t) => [
    t.since,
    ...[...t.columns, ...t.constraints, ...t.indexes].map((x) => x.since),
  ]),
);

describe('compareSchema', () => {
  it('finds nothing wrong in the expected schema itself', () => {
    const tables = compareSchema(perfectCatalog(), objects, LATEST);
    expect(
      tables.flatMap((t) => [...t.columns, ...t.constraints, ...t.indexes]).filter((x) => x.status !== 'ok'),
    ).toEqual([]);
    expect(blockingProblems(tables)).toEqual([]);
  });

  it('names missing columns, wrong types, unsafe extras and a narrowed CHECK, and restores nullable columns', () => {
    const catalog = perfectCatalog();
    const comp = catalog.tables.get('compositions');
    const wm = catalog.tables.get('watermarks');
    if (!comp || !wm) throw new Error('fixture');
    comp.columns = comp.columns.filter((c) => c.name !== 'checksum' && c.name !== 'atlas_version');
    comp.columns.push({ name: 'archetype_node_id', type: 'text', notNull: true, default: null });
    const ehr = wm.columns.find((c) => c.name === 'ehr_id');
    if (ehr) ehr.type = 'uuid';
    const check = wm.constraints.find((c) => c.name === 'valid_export_status');
    if (check) check.definition = "CHECK (last_export_status IN ('completed'))";
    const tables = compareSchema(catalog, objects, LATEST);
    expect(blockingProblems(tables)).toEqual([
      'column compositions.atlas_version is missing (expected text NOT NULL)',
      'column compositions.checksum is missing (expected text)',
      "column compositions.archetype_node_id (not Atlas's) is NOT NULL without a default, so Atlas's inserts fail",
      'column watermarks.ehr_id is uuid NOT NULL, expected text NOT NULL',
      expect.stringMatching(/^constraint watermarks\.valid_export_status is different/),
    ]);
    expect(restoreStatements(tables, 'public')).toEqual([
      'ALTER TABLE "public"."compositions" ADD COLUMN "checksum" text;',
    ]);
  });

  it('expects only the tables of migrations up to the given number', () => {
    expect(compareSchema(perfectCatalog(), objects, 1).map((t) => t.name)).toEqual([
      'compositions',
      'watermarks',
    ]);
  });
});

describe('formatReport', () => {
  it('prints a dry run as a runnable script, one transaction per step', () => {
    const text = formatReport({
      schema: 'public',
      dryRun: true,
      atlasVersion: '1.2.3',
      fromVersion: 1,
      latestVersion: 2,
      steps: [
        {
          kind: 'apply',
          version: 2,
          file: '002_x.sql',
          description: 'apply 002_x.sql',
          sql: ['SET LOCAL search_path TO "public"', 'ALTER TABLE a ADD b int'],
        },
      ],
    });
    expect(text).toBe(
      [
        '-- Dry run: nothing was executed. Schema "public" is at migration 001; Atlas 1.2.3',
        '-- would run these steps, each in its own transaction:',
        '',
        '-- 1. apply 002_x.sql',
        'BEGIN;',
        'SET LOCAL search_path TO "public";',
        'ALTER TABLE a ADD b int;',
        'COMMIT;',
        '',
        '',
      ].join('\n'),
    );
  });
});
