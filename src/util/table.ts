/** A query result as the store returns it: column names in order and rows keyed by them. */
export interface QueryResult {
  fields: string[];
  rows: Record<string, unknown>[];
}

/** Text of one value: NULL as empty (like psql), timestamps in ISO-8601, JSON for objects. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const NUMERIC = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\r?\n/g, '↵');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export interface TableOptions {
  /** Rows printed; the footer still counts all of them. */
  maxRows?: number;
  /** Characters per cell before it is cut with "…". */
  maxWidth?: number;
}

/**
 * psql-style aligned table: header, separator, rows (numeric columns right-aligned), "(n rows)". Cells are
 * kept on one line and cut at `maxWidth`; only `maxRows` rows are printed.
 */
export function formatTable(result: QueryResult, opts: TableOptions = {}): string {
  const maxWidth = opts.maxWidth ?? 60;
  const shown = result.rows.slice(0, opts.maxRows ?? result.rows.length);
  const cells = shown.map((r) => result.fields.map((f) => clip(cellText(r[f]), maxWidth)));
  const numeric = result.fields.map((_, i) => {
    const values = cells.map((c) => c[i] ?? '').filter((v) => v !== '');
    return values.length > 0 && values.every((v) => NUMERIC.test(v));
  });
  const widths = result.fields.map((f, i) => Math.max(f.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: string[], align: boolean[]) =>
    ` ${values.map((v, i) => (align[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')}`.trimEnd();
  const out = [
    line(
      result.fields.map((f, i) => {
        const pad = (widths[i] ?? 0) - f.length;
        return ' '.repeat(Math.floor(pad / 2)) + f;
      }),
      result.fields.map(() => false),
    ),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
    ...cells.map((c) => line(c, numeric)),
  ];
  const n = result.rows.length;
  const more = n > shown.length ? `, ${shown.length} shown` : '';
  out.push(`(${n} row${n === 1 ? '' : 's'}${more})`);
  return `${out.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header line; NULL is an empty field. */
export function formatCsv(result: QueryResult): string {
  const lines = [result.fields, ...result.rows.map((r) => result.fields.map((f) => cellText(r[f])))];
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The rows as a JSON array of objects (timestamps as ISO strings, JSONB as nested JSON). */
export function formatJson(result: QueryResult): string {
  return `${JSON.stringify(result.rows, null, 2)}\n`;
}
