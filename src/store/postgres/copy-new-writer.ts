import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { ATLAS_VERSION } from '../../version.js';
import type { CompositionRow } from '../types.js';
import type { CompositionWriter, WrittenRow } from './composition-upsert.js';
import { copyTextField } from './copy-writer.js';
import { insertWriter } from './insert-writer.js';
import { tbl } from './sql-context.js';

/** Columns COPY fills; exported_at and deleted_at take their defaults (now(), NULL). */
const COPY_COLUMNS =
  'id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, checksum, atlas_version';

function copyLine(row: CompositionRow, version: string): string {
  const fields = [
    row.id,
    row.ehrId,
    row.compositionUid,
    row.templateId,
    row.timeCommitted,
    row.contentJson,
    row.exportMode,
    row.checksum,
    version,
  ];
  return `${fields.map(copyTextField).join('\t')}\n`;
}

/** ~500 rows per chunk: large socket writes without one giant string. */
function* copyChunks(rows: CompositionRow[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 500) {
    let chunk = '';
    for (const row of rows.slice(i, i + 500)) chunk += copyLine(row, ATLAS_VERSION);
    yield chunk;
  }
}

/**
 * Rows not stored yet go straight into `compositions` with COPY, PostgreSQL's bulk path (no staging table,
 * no per-row conflict check): a full export and most incremental batches are almost all new rows, and this
 * writes them at the cost of the physical limit (bench: export ÷ COPY). Rows already stored go through the
 * INSERT writer's upsert (unchanged ones left alone, changed ones rewritten). One lookup of the batch's ids
 * decides which is which; should another writer store one of these ids between the lookup and the COPY, the
 * COPY fails on the primary key, the whole batch rolls back and its retry sees the row as stored.
 */
export const copyNewWriter: CompositionWriter = async (client, sql, rows) => {
  if (rows.length === 0) return [];
  const { rows: stored } = await client.query<{ id: string }>(
    `SELECT id FROM ${tbl(sql, 'compositions')} WHERE id = ANY($1::text[])`,
    [rows.map((r) => r.id)],
  );
  const known = new Set(stored.map((r) => r.id));
  const fresh = rows.filter((r) => !known.has(r.id));
  const written: WrittenRow[] =
    known.size > 0
      ? await insertWriter(
          client,
          sql,
          rows.filter((r) => known.has(r.id)),
        )
      : [];
  if (fresh.length > 0) {
    await pipeline(
      Readable.from(copyChunks(fresh)),
      client.query(copyFrom(`COPY ${tbl(sql, 'compositions')} (${COPY_COLUMNS}) FROM STDIN`)),
    );
    for (const r of fresh)
      written.push({ id: r.id, ehrId: r.ehrId, templateId: r.templateId, inserted: true });
  }
  return written;
};
