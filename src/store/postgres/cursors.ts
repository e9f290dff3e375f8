import type pg from 'pg';
import type { TemplateCursor } from '../types.js';
import { isoText } from './identifiers.js';
import { type SqlContext, tbl } from './sql-context.js';

export async function getCursor(sql: SqlContext, templateId: string): Promise<TemplateCursor | null> {
  const res = await sql.pool.query<{ time: string; uid: string; mode: TemplateCursor['mode'] }>(
    `SELECT ${isoText('cursor_time')} AS time, cursor_uid AS uid, discovery_mode AS mode
       FROM ${tbl(sql, 'export_cursors')} WHERE template_id = $1`,
    [templateId],
  );
  const row = res.rows[0];
  return row ? { templateId, time: row.time, uid: row.uid, mode: row.mode } : null;
}

/** Sets the template's cursor inside the batch transaction, so it moves only together with the data. */
export async function upsertCursor(
  client: pg.ClientBase,
  sql: SqlContext,
  cursor: TemplateCursor,
  runId: number,
): Promise<void> {
  await client.query(
    `INSERT INTO ${tbl(sql, 'export_cursors')}
            (template_id, cursor_time, cursor_uid, discovery_mode, updated_at, last_run_id)
     VALUES ($1, $2::timestamptz, $3, $4, now(), $5)
     ON CONFLICT (template_id) DO UPDATE
        SET cursor_time = EXCLUDED.cursor_time, cursor_uid = EXCLUDED.cursor_uid,
            discovery_mode = EXCLUDED.discovery_mode, updated_at = now(), last_run_id = EXCLUDED.last_run_id`,
    [cursor.templateId, cursor.time, cursor.uid, cursor.mode, runId],
  );
}
