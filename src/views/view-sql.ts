import { castExpression } from './cast-functions.js';
import { qualified, quoteIdent, quoteLiteral } from './identifiers.js';
import type { PathSegment, ViewColumn, ViewModel } from './types.js';

/** How the live SELECT reads: from which relation, and which column types stay uncast text. */
export interface LiveSelectOptions {
  /** Relation with the columns of `compositions` (a trigger's transition table); default the table itself. */
  source?: string;
  /** Column types left as the FLAT text (the occurrence table stores them so; its view casts them). */
  uncast?: ReadonlySet<string>;
}

export interface ViewSqlTarget {
  /** Schema of the views and the cast helpers (`[views] schema`). */
  viewsSchema: string;
  /** Schema of Atlas's `compositions` table (`[postgresql] schema`). */
  dataSchema: string;
  templateId: string;
}

/**
 * The SELECT behind a view. Values are read from `compositions.content` by FLAT key and cast with the safe
 * helpers. Both stored forms are read: `preserve` keys carry `:0` for first occurrences, `flatten` keys do
 * not, so a repeating view looks each value up under both spellings (`COALESCE`); a single-occurrence path
 * has no index and is the same in both forms.
 */
export function viewSelectSql(target: ViewSqlTarget, view: ViewModel, opts: LiveSelectOptions = {}): string {
  // `d.j` is the content detoasted once per row: every `->>` on a TOASTed column would decompress the whole
  // document again, and the inlined casts read each value several times. `|| '{}'` returns its (detoasted)
  // argument unchanged; OFFSET 0 keeps the planner from folding it back into every reference. Columns the
  // query does not select are still never computed.
  const from = [
    `FROM ${opts.source ?? qualified(target.dataSchema, 'compositions')} AS c`,
    `CROSS JOIN LATERAL (SELECT c.content || '{}'::jsonb AS j OFFSET 0) AS d`,
  ].join('\n');
  const where = `WHERE c.template_id = ${quoteLiteral(target.templateId)} AND c.deleted_at IS NULL`;
  if (view.kind === 'main') {
    const lookup = (key: string) => `d.j ->> ${quoteLiteral(key)}`;
    const cols = [
      'c.id AS "composition_id"',
      'c.ehr_id AS "ehr_id"',
      'c.composition_uid AS "composition_uid"',
      'c.time_committed AS "time_committed"',
      ...view.columns.map((col) => columnSql(target, col, col.path, lookup, opts.uncast)),
    ];
    return `SELECT\n  ${cols.join(',\n  ')}\n${from}\n${where}`;
  }
  const lookup = (rel: string) => {
    const key = (prefix: string) => (rel === '' ? prefix : `(${prefix} || ${quoteLiteral(rel)})`);
    return `COALESCE(d.j ->> ${key('o.p')}, d.j ->> ${key('o.f')})`;
  };
  const cols = [
    'c.id AS "composition_id"',
    'c.ehr_id AS "ehr_id"',
    'o.idx AS "index_path"',
    ...view.indexColumns.map((name, i) => `o.idx[${i + 1}] AS ${quoteIdent(name)}`),
    ...view.columns.map((col) => columnSql(target, col, col.relativePath, lookup, opts.uncast)),
  ];
  // A removed node keeps its (empty) view so dependent queries still run.
  if (view.removedAt)
    return `SELECT\n  ${cols.join(',\n  ')}\n${from}\nCROSS JOIN (SELECT NULL::int[] AS idx, NULL::text AS p, NULL::text AS f) AS o\nWHERE false`;
  return `SELECT\n  ${cols.join(',\n  ')}\n${from}\nCROSS JOIN LATERAL (\n${occurrencesSql(view.segments)}\n) AS o\n${where}`;
}

/** One column: the cast of the first present spelling, or a typed NULL once the data point is removed. */
function columnSql(
  target: ViewSqlTarget,
  col: ViewColumn,
  path: string,
  lookup: (key: string) => string,
  uncast?: ReadonlySet<string>,
): string {
  if (col.removedAt) return `NULL::${col.sqlType} AS ${quoteIdent(col.name)}`;
  // Other spellings of the attribute (`|media_type` beside `|mediatype`) replace the final `|suffix`.
  const spellings = [path, ...(col.alternatives ?? []).map((alt) => path.replace(/\|[^|/]*$/, `|${alt}`))];
  const lookups = spellings.map(lookup);
  const text = lookups.length === 1 ? lookups[0]! : `COALESCE(${lookups.join(', ')})`;
  const value = uncast?.has(col.sqlType) ? text : castExpression(target.viewsSchema, col.sqlType, text);
  return `${value} AS ${quoteIdent(col.name)}`;
}

/**
 * The occurrences of a repeating node in one composition: every distinct index tuple found in the keys
 * (`encounter/body_temperature:1/any_event:0/…`, or without `:0` in `flatten` content), with the key prefix
 * of the occurrence in both spellings. One pass over the composition's keys with plain string functions
 * (PostgreSQL's regular expressions cost microseconds per key) after a cheap prefix test; the tuples are
 * made distinct by collecting them as the keys of a JSON object (a plain aggregate: a DISTINCT or GROUP BY
 * here would set up a sort or hash table per composition, several times slower).
 */
function occurrencesSql(segments: PathSegment[]): string {
  const firstRepeating = segments.findIndex((s) => s.repeating);
  const literalPrefix = segments
    .slice(0, firstRepeating + 1)
    .map((s) => s.id)
    .join('/');
  // Segment i (1-based) of a key, without the `|attribute` a last segment may carry.
  const seg = (i: number) => `split_part(split_part(k.key, '|', 1), '/', ${i})`;
  const checks: string[] = [];
  const indices: string[] = [];
  segments.forEach((s, i) => {
    const id = quoteLiteral(s.id);
    if (!s.repeating) {
      if (i > 0) checks.push(`${seg(i + 1)} = ${id}`);
      return;
    }
    const index = `substr(${seg(i + 1)}, length(${id}) + 2)`;
    checks.push(
      `(${seg(i + 1)} = ${id} OR (starts_with(${seg(i + 1)}, ${quoteLiteral(`${s.id}:`)}) AND ${index} <> '' ` +
        `AND ltrim(${index}, '0123456789') = '' AND length(${index}) <= 9))`,
    );
    indices.push(`CASE WHEN ${seg(i + 1)} = ${id} THEN 0 ELSE ${index}::int END`);
  });
  return [
    `  SELECT t.idx, ${prefixSql(segments, false)} AS p, ${prefixSql(segments, true)} AS f`,
    `  FROM (`,
    `    SELECT u.tuple::int[] AS idx FROM jsonb_object_keys((`,
    `      SELECT jsonb_object_agg(ARRAY[${indices.join(', ')}]::text, 0)`,
    `      FROM jsonb_object_keys(CASE WHEN jsonb_typeof(c.content) = 'object' THEN c.content ELSE '{}'::jsonb END) AS k(key)`,
    `      WHERE starts_with(k.key, ${quoteLiteral(literalPrefix)})`,
    ...checks.map((c) => `        AND ${c}`),
    `    )) AS u(tuple)`,
    `  ) AS t`,
    `  OFFSET 0`,
  ].join('\n');
}

/** The key prefix of an occurrence: `:n` after each repeating id; in the flatten spelling `:0` is left out. */
function prefixSql(segments: PathSegment[], flatten: boolean): string {
  const parts: string[] = [];
  let literal = '';
  let k = 0;
  segments.forEach((s, i) => {
    literal += (i === 0 ? '' : '/') + s.id;
    if (!s.repeating) return;
    k++;
    parts.push(quoteLiteral(literal));
    literal = '';
    parts.push(
      flatten
        ? `CASE WHEN t.idx[${k}] = 0 THEN '' ELSE ':' || t.idx[${k}]::text END`
        : `':' || t.idx[${k}]::text`,
    );
  });
  if (literal !== '') parts.push(quoteLiteral(literal));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`;
}
