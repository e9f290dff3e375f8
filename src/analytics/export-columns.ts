import type { ViewModel } from '../views/index.js';
import type { ColumnSqlType } from '../views/types.js';

/** SQL type of an exported column: a data-point type, or `int[]` for `index_path`. */
export type ExportSqlType = ColumnSqlType | 'int[]';

export interface ExportColumn {
  name: string;
  sqlType: ExportSqlType;
  /** NOT NULL in the view (identifiers, commit time, indices). */
  required: boolean;
}

/**
 * The columns of a view in the view's order, with their SQL types, taken from the recorded model (the same
 * model the view's SELECT was generated from), so no catalog lookup is needed and the types are Atlas's own.
 */
export function exportColumns(view: ViewModel): ExportColumn[] {
  const meta: ExportColumn[] =
    view.kind === 'main'
      ? [
          { name: 'composition_id', sqlType: 'text', required: true },
          { name: 'ehr_id', sqlType: 'text', required: true },
          { name: 'composition_uid', sqlType: 'text', required: true },
          { name: 'time_committed', sqlType: 'timestamptz', required: true },
        ]
      : [
          { name: 'composition_id', sqlType: 'text', required: true },
          { name: 'ehr_id', sqlType: 'text', required: true },
          { name: 'index_path', sqlType: 'int[]', required: true },
          ...view.indexColumns.map((name) => ({ name, sqlType: 'integer' as const, required: true })),
        ];
  return [...meta, ...view.columns.map((c) => ({ name: c.name, sqlType: c.sqlType, required: false }))];
}
