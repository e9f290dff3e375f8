import type { Flavour } from '../types.js';
import type { Query } from './ast.js';
import { tokenize } from './lexer.js';
import type { Paging } from './paging.js';
import type { ParamValue } from './rm-path.js';
import { RawJson } from './values.js';

function renderParam(v: ParamValue): string {
  if (Array.isArray(v)) return v.map(renderParam).join(',');
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(v);
}

/** `_executed_aql`: the query with parameters substituted and request paging appended. */
export function executedAql(q: string, params: Record<string, ParamValue>, paging: Paging): string {
  let out = '';
  let last = 0;
  for (const t of tokenize(q)) {
    if (t.type !== 'param' || !(t.text in params)) continue;
    out += q.slice(last, t.pos) + renderParam(params[t.text]!);
    last = t.pos + 1 + t.text.length;
  }
  out += q.slice(last);
  if (paging.fromRequest && paging.limit !== undefined)
    out += ` LIMIT ${paging.limit} OFFSET ${paging.offset}`;
  return out;
}

/** Column name/path: alias or `#i`; `alias/path` (EHRbase) or relative `/path` (Better); none for aggregates. */
export function columnsOf(query: Query, flavour: Flavour): Array<{ path?: string; name: string }> {
  return query.select.map((s, i) => {
    const name = s.alias ?? `#${i}`;
    if (s.kind !== 'path') return { name };
    const path = flavour === 'better' ? (s.path.pathText ? `/${s.path.pathText}` : '/') : s.path.text;
    return { path, name };
  });
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (v instanceof RawJson) return v.text;
  return JSON.stringify(v);
}

export interface ResultSetInput {
  q: string;
  query: Query;
  params: Record<string, ParamValue>;
  paging: Paging;
  rows: unknown[][];
  flavour: Flavour;
  created: string;
  /** Set for GET (`_href`). */
  href?: string;
}

/**
 * The RESULTSET body of openehr-rest.md §4.2, serialised by hand so whole compositions (`SELECT c`) are
 * copied as text instead of being parsed and re-stringified.
 */
export function resultSetJson(input: ResultSetInput): string {
  const meta: Record<string, unknown> = {};
  if (input.href) meta._href = input.href;
  meta._type = 'RESULTSET';
  meta._schema_version = '1.0.3';
  meta._created = input.created;
  meta._executed_aql = executedAql(input.q, input.params, input.paging);
  meta.resultsize = input.rows.length;
  if (input.paging.limited) {
    meta.fetch = input.paging.limit;
    meta.offset = input.paging.offset;
  }
  const head = `{"meta":${JSON.stringify(meta)},"q":${JSON.stringify(input.q)},"columns":${JSON.stringify(columnsOf(input.query, input.flavour))}`;
  if (input.flavour === 'better' && input.rows.length === 0) return `${head}}`;
  const hasRaw = input.rows.some((r) => r.some((v) => v instanceof RawJson));
  if (!hasRaw)
    return `${head},"rows":${JSON.stringify(input.rows, (_k, v) => (v === undefined ? null : v))}}`;
  const rows = input.rows.map((r) => `[${r.map(cell).join(',')}]`).join(',');
  return `${head},"rows":[${rows}]}`;
}
