import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { ATLAS_VERSION } from '../../version.js';
import type { CompositionRow } from '../types.js';
import {
  type CompositionWriter,
  ON_CONFLICT_RETURNING,
  toWritten,
  UPSERT_COLUMNS,
} from './composition-upsert.js';
import { tbl } from './sql-context.js';

/** COPY text format: backslash, newline, carriage return and tab are the only characters to escape. */
export function copyTextField(value: string): string {
  return value.replace(/[\\\n\r\t]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t',
  );
}

function copyLine(row: CompositionRow): string {
  return (
    [
      row.id,
      row.ehrId,
      row.compositionUid,
      row.templateId,
      row.timeCommitted,
      row.contentJson,
      row.exportMode,
      row.checksum,
    ]
      .map(copyTextField)
      .join('\t') + '\n'
  );
}

/** Lines grouped into ~500-row chunks so the socket gets large writes without building one giant string. */
function* copyChunks(rows: CompositionRow[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 500)
    yield rows
      .slice(i, i + 500)
      .map(copyLine)
      .join('');
}

/**
 * COPY into a transaction-scoped staging table, then one `INSERT ... SELECT ... ON CONFLICT` with the same
 * conflict rule as the INSERT writer. Real PostgreSQL only: COPY FROM STDIN does not work through PGlite's
 * node-postgres adapter nor its socket server.
 */
export const copyWriter: CompositionWriter = async (client, sql, rows) => {
  if (rows.length === 0) return [];
  // Content staged as text with EXTERNAL storage: no jsonb parse and no compression on the way in (the
  // values are 2-6 KB, above the TOAST threshold); it is parsed once, by the INSERT ... SELECT below.
  await client.query(
    `CREATE TEMP TABLE atlas_stage (id text, ehr_id text, composition_uid text, template_id text,
       time_committed timestamptz, content text, export_mode text, checksum text) ON COMMIT DROP;
     ALTER TABLE pg_temp.atlas_stage ALTER COLUMN content SET STORAGE EXTERNAL`,
  );
  await pipeline(
    Readable.from(copyChunks(rows)),
    client.query(copyFrom('COPY pg_temp.atlas_stage FROM STDIN')),
  );
  const res = await client.query<{ id: string; ehr_id: string; template_id: string; inserted: boolean }>(
    `INSERT INTO ${tbl(sql, 'compositions')} AS c (${UPSERT_COLUMNS})
     SELECT id, ehr_id, composition_uid, template_id, time_committed, content::jsonb, export_mode, checksum, $1, now(), NULL
       FROM pg_temp.atlas_stage ${ON_CONFLICT_RETURNING}`,
    [ATLAS_VERSION],
  );
  // Dropped at COMMIT; dropped now as well so a second batch in the same transaction could stage again.
  await client.query('DROP TABLE pg_temp.atlas_stage');
  return toWritten(res.rows);
};
