import { describe, expect, it } from 'vitest';
import { definitionSelectSql } from '../../../src/views/ddl.js';
import { byteLength } from '../../../src/views/identifiers.js';
import { buildTemplateViews } from '../../../src/views/model.js';
import {
  occurrenceNames,
  occurrenceTableStatements,
  usesOccurrenceTable,
} from '../../../src/views/occurrence-table.js';
import { fixtureWebTemplate } from './wt-fixtures.js';

const wt = fixtureWebTemplate('multi_occurrence.json');
const target = { viewsSchema: 'atlas_views', dataSchema: 'public', templateId: wt.templateId };
const views = buildTemplateViews(wt, new Set()).views;
// An event view: it has a `time` (timestamptz) column.
const repeating = views.find(
  (v) => v.kind === 'repeating' && v.columns.some((c) => c.sqlType === 'timestamptz'),
)!;

describe('occurrence table names and SQL', () => {
  it('fit 63 bytes, and triggers of the same view in two views schemas do not clash', () => {
    const long = 'x'.repeat(63);
    const a = occurrenceNames('atlas_views', long);
    const b = occurrenceNames('other_views', long);
    for (const name of [a.table, a.fn, a.trigger('i'), a.trigger('t')])
      expect(byteLength(name)).toBeLessThanOrEqual(63);
    expect(a.table).toBe(b.table);
    expect(a.trigger('i')).not.toBe(b.trigger('i'));
    expect(new Set(['i', 'u', 'd', 't'].map((op) => a.trigger(op as 'i')))).toHaveProperty('size', 4);
  });

  it('back plain repeating views only; session-dependent types are stored as text', () => {
    expect(usesOccurrenceTable(repeating, false)).toBe(true);
    expect(usesOccurrenceTable(repeating, true)).toBe(false);
    expect(usesOccurrenceTable(views.find((v) => v.kind === 'main')!, false)).toBe(false);
    expect(usesOccurrenceTable({ ...repeating, removedAt: '2025-01-01T00:00:00.000Z' }, false)).toBe(false);
    const [create] = occurrenceTableStatements(target, repeating);
    const timeCol = repeating.columns.find((c) => c.sqlType === 'timestamptz')!;
    expect(create).toContain(`"${timeCol.name}" text`);
    expect(definitionSelectSql(target, repeating, 'view')).toContain('-- rows maintained from:');
    expect(definitionSelectSql(target, repeating, 'materialized')).not.toContain('-- rows maintained from:');
  });
});
