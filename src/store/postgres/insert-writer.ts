import { ATLAS_VERSION } from '../../version.js';
import type { CompositionRow } from '../types.js';
import {
  type CompositionWriter,
  ON_CONFLICT_RETURNING,
  toWritten,
  UPSERT_COLUMNS,
  type WrittenRow,
} from './composition-upsert.js';
import { tbl } from './sql-context.js';

/** Rows per statement: 8 parameters each keeps a statement at ~4,000 parameters, far below the 65,535 limit. */
export const ROWS_PER_STATEMENT = 500;
const PARAMS_PER_ROW = 8;

/**
 * Multi-row `INSERT ... VALUES (...), (...) ON CONFLICT`: works on every target (PostgreSQL, PGlite in-process
 * and over its socket). Content goes as JSON text and is parsed by the server (`::jsonb`), never re-encoded.
 */
export const insertWriter: CompositionWriter = async (client, sql, rows) => {
  const written: WrittenRow[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [ATLAS_VERSION];
    const tuples = chunk.map((row: CompositionRow, i) => {
      const b = 1 + i * PARAMS_PER_ROW;
      params.push(
        row.id,
        row.ehrId,
        row.compositionUid,
        row.templateId,
        row.timeCommitted,
        row.contentJson,
        row.exportMode,
        row.checksum,
      );
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::timestamptz, $${b + 6}::jsonb, $${b + 7}, $${b + 8}, $1, now(), NULL)`;
    });
    const res = await client.query<{ id: string; ehr_id: string; template_id: string; inserted: boolean }>(
      `INSERT INTO ${tbl(sql, 'compositions')} AS c (${UPSERT_COLUMNS}) VALUES ${tuples.join(', ')} ${ON_CONFLICT_RETURNING}`,
      params,
    );
    written.push(...toWritten(res.rows));
  }
  return written;
};
