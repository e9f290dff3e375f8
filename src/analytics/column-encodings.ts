import type { SnapshotReader } from '../store/types.js';
import type { ViewModel } from '../views/index.js';
import { decimalShape } from './decimal-shape.js';
import { exportColumns } from './export-columns.js';
import { type BoundQuery, statsQuery } from './source-query.js';
import { type ColumnEncoding, encodingOf } from './type-mapping.js';

/**
 * The first pass over a view's rows (in the export's snapshot): the row count and the shape of every
 * numeric column (decimal-shape.ts), so the file's schema is known before the first row is written.
 */
export async function measureView(
  reader: SnapshotReader,
  view: ViewModel,
  rows: BoundQuery,
): Promise<{ rowCount: number; encodings: ColumnEncoding[] }> {
  const columns = exportColumns(view);
  const numeric = columns.filter((c) => c.sqlType === 'numeric');
  const [stats] = await reader.rows(statsQuery(rows, numeric).sql, rows.params);
  const values = stats ?? [];
  const shapes = new Map(
    numeric.map((c, i) => [c.name, decimalShape(values[1 + 2 * i] ?? null, values[2 + 2 * i] ?? null)]),
  );
  return {
    rowCount: Number(values[0] ?? 0),
    encodings: columns.map((c) => encodingOf(c, shapes.get(c.name))),
  };
}
