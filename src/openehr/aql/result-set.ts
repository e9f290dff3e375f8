/**
 * The parts of an AQL result set Atlas reads. Tolerant of both vendors: Better omits `rows` when empty and
 * gives column paths relative to the containment variable, so columns are read by position (our queries
 * alias every column) and `path` is never relied on.
 */
export interface ResultSet {
  columns: Array<{ name?: string; path?: string }>;
  rows: unknown[][];
  /** `meta.fetch` when the server reports the limit it applied. */
  appliedFetch: number | undefined;
}

export function parseResultSet(body: unknown): ResultSet {
  if (typeof body !== 'object' || body === null) {
    throw new Error('AQL response is not a JSON object');
  }
  const { columns, rows, meta } = body as { columns?: unknown; rows?: unknown; meta?: unknown };
  if (rows !== undefined && rows !== null && !Array.isArray(rows)) {
    throw new Error('AQL response has a non-array "rows"');
  }
  const parsedRows = (rows ?? []) as unknown[];
  for (const row of parsedRows) {
    if (!Array.isArray(row)) throw new Error('AQL response has a row that is not an array');
  }
  const metaFetch =
    typeof meta === 'object' && meta !== null ? (meta as { fetch?: unknown }).fetch : undefined;
  const appliedFetch = typeof metaFetch === 'number' && metaFetch > 0 ? metaFetch : undefined;
  return {
    columns: Array.isArray(columns) ? (columns as ResultSet['columns']) : [],
    rows: parsedRows as unknown[][],
    appliedFetch,
  };
}

/** A cell that must be a non-empty string (ids, uids, times). */
export function stringCell(row: unknown[], index: number): string | undefined {
  const v = row[index];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * A time cell: a string, or a DV_DATE_TIME object (`{"_type":"DV_DATE_TIME","value":…}`) when a server
 * returns the object for a `…/value` path; null when absent.
 */
export function timeCell(row: unknown[], index: number): string | undefined {
  const v = row[index];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'string') {
    return (v as { value: string }).value;
  }
  return undefined;
}

/** A count cell: number or numeric string. */
export function countCell(row: unknown[] | undefined, index: number): number {
  const v = row?.[index];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new Error(`AQL COUNT returned ${JSON.stringify(v)}, not a number`);
  return n;
}

/** A whole-composition cell (`SELECT c`): the canonical JSON object, or undefined when absent. */
export function compositionCell(row: unknown[], index: number): Record<string, unknown> | undefined {
  const v = row[index];
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
