import type { Catalog, ConstraintInfo, TableInfo } from './catalog.js';
import { type ConstraintSpec, EXPECTED_TABLES, normaliseDefault, type TableSpec } from './expected-schema.js';
import type { MigrationObjects } from './migration-objects.js';
import { qualified, quoteIdent } from './quote.js';
import type { ColumnComparison, NamedComparison, TableComparison } from './types.js';

/**
 * Expected against actual, table by table: columns (type, NOT NULL, default), constraints and indexes, as
 * expected-schema.ts describes them. `upTo` limits the expectation to migrations applied so far.
 */
export function compareSchema(catalog: Catalog, objects: MigrationObjects, upTo: number): TableComparison[] {
  const out: TableComparison[] = [];
  for (const spec of EXPECTED_TABLES) {
    if (spec.since > upTo) continue;
    out.push(compareTable(spec, catalog.tables.get(spec.name), upTo));
  }
  for (const [name, version] of objects.tables) {
    if (version > upTo || EXPECTED_TABLES.some((t) => t.name === name)) continue;
    const t = catalog.tables.get(name);
    out.push({
      name,
      exists: t !== undefined,
      presenceOnly: true,
      owner: t?.owner,
      columns: [],
      constraints: [],
      indexes: [],
    });
  }
  return out;
}

function compareTable(spec: TableSpec, actual: TableInfo | undefined, upTo: number): TableComparison {
  if (!actual)
    return { name: spec.name, exists: false, presenceOnly: false, columns: [], constraints: [], indexes: [] };
  const columns: ColumnComparison[] = [];
  const specCols = spec.columns.filter((c) => c.since <= upTo);
  for (const c of specCols) {
    const a = actual.columns.find((x) => x.name === c.name);
    const expected = `${c.type}${c.notNull ? ' NOT NULL' : ''}${c.default ? ` DEFAULT ${c.default}` : ''}`;
    if (!a) {
      columns.push({ name: c.name, status: 'missing', expected });
      continue;
    }
    const actualText = `${a.type}${a.notNull ? ' NOT NULL' : ''}${a.default ? ` DEFAULT ${a.default}` : ''}`;
    let status: ColumnComparison['status'] = 'ok';
    if (a.type !== c.type) status = 'type';
    else if (a.notNull !== c.notNull) status = 'nullability';
    else if (c.default !== undefined && normaliseDefault(a.default) !== normaliseDefault(c.default))
      status = 'default';
    columns.push({ name: c.name, status, expected, actual: actualText });
  }
  for (const a of actual.columns) {
    if (specCols.some((c) => c.name === a.name)) continue;
    columns.push({
      name: a.name,
      status: 'extra',
      actual: `${a.type}${a.notNull ? ' NOT NULL' : ''}${a.default ? ` DEFAULT ${a.default}` : ''}`,
    });
  }
  const matched = new Set<string>();
  const constraints: NamedComparison[] = spec.constraints
    .filter((c) => c.since <= upTo)
    .map((c) => compareConstraint(c, actual.constraints, matched));
  for (const a of actual.constraints) {
    if (!matched.has(a.name)) constraints.push({ name: a.name, status: 'extra', actual: a.definition });
  }
  const indexes: NamedComparison[] = [];
  const specIdx = spec.indexes.filter((i) => i.since <= upTo);
  for (const i of specIdx) {
    const a = actual.indexes.find((x) => x.name === i.name);
    indexes.push({
      name: i.name,
      status: !a ? 'missing' : a.shape === i.shape ? 'ok' : 'different',
      expected: i.shape,
      actual: a?.shape,
    });
  }
  for (const a of actual.indexes) {
    if (a.constraintBacked || specIdx.some((i) => i.name === a.name)) continue;
    indexes.push({ name: a.name, status: 'extra', actual: a.shape });
  }
  return {
    name: spec.name,
    exists: true,
    presenceOnly: false,
    owner: actual.owner,
    columns,
    constraints,
    indexes,
  };
}

function compareConstraint(
  spec: ConstraintSpec,
  actual: ConstraintInfo[],
  matched: Set<string>,
): NamedComparison {
  const type = spec.kind === 'primary' ? 'p' : spec.kind === 'unique' ? 'u' : 'c';
  const a = spec.name
    ? actual.find((x) => x.name === spec.name)
    : actual.find((x) => x.type === type && x.columns.join(',') === spec.columns.join(','));
  const label = spec.name ?? `${spec.kind} (${spec.columns.join(', ')})`;
  if (!a) return { name: label, status: 'missing', expected: spec.definition };
  matched.add(a.name);
  const sameColumns = a.columns.join(',') === spec.columns.join(',');
  const mentionsAll = (spec.mentions ?? []).every((v) => a.definition.includes(`'${v}'`));
  const ok = a.type === type && sameColumns && mentionsAll;
  return { name: a.name, status: ok ? 'ok' : 'different', expected: spec.definition, actual: a.definition };
}

/** Differences that would make Atlas's own SQL fail ("column … does not exist" and the like). */
export function blockingProblems(tables: TableComparison[]): string[] {
  const out: string[] = [];
  for (const t of tables) {
    if (!t.exists) {
      out.push(`table ${t.name} is missing`);
      continue;
    }
    for (const c of t.columns) {
      if (c.status === 'missing') out.push(`column ${t.name}.${c.name} is missing (expected ${c.expected})`);
      else if (c.status === 'type')
        out.push(`column ${t.name}.${c.name} is ${c.actual}, expected ${c.expected}`);
      else if (c.status === 'extra' && c.actual?.includes('NOT NULL') && !c.actual.includes('DEFAULT')) {
        out.push(
          `column ${t.name}.${c.name} (not Atlas's) is NOT NULL without a default, so Atlas's inserts fail`,
        );
      } else if (
        c.status === 'nullability' &&
        c.actual?.includes('NOT NULL') &&
        !c.expected?.includes('NOT NULL')
      ) {
        out.push(`column ${t.name}.${c.name} is NOT NULL, expected nullable`);
      }
    }
    for (const c of t.constraints) {
      if (c.status === 'different' || (c.status === 'missing' && c.expected?.startsWith('PRIMARY KEY'))) {
        out.push(
          `constraint ${t.name}.${c.name} is ${c.status} (expected ${c.expected}${c.actual ? `, found ${c.actual}` : ''})`,
        );
      }
    }
  }
  return out;
}

/** Statements that restore what can be restored without guessing data: nullable columns dropped by hand. */
export function restoreStatements(tables: TableComparison[], schema: string): string[] {
  const out: string[] = [];
  for (const t of tables) {
    for (const c of t.columns) {
      if (c.status !== 'missing' || !c.expected || c.expected.includes('NOT NULL')) continue;
      out.push(`ALTER TABLE ${qualified(schema, t.name)} ADD COLUMN ${quoteIdent(c.name)} ${c.expected};`);
    }
  }
  return out;
}
