import type { CursorMode, TemplateStatusRow, WatermarkRow, WatermarkStatus } from '../types.js';
import { isoText } from './identifiers.js';
import { type SqlContext, tbl } from './sql-context.js';

interface StatusRecord {
  template_id: string;
  cursor_time: string | null;
  cursor_uid: string | null;
  discovery_mode: CursorMode | null;
  live: string | null;
  deleted: string | null;
  ehrs: string | null;
  failures: string | null;
  run_id: string | null;
  run_started_at: string | null;
  run_finished_at: string | null;
  run_status: string | null;
}

/**
 * One row per template: the given ones, or every template Atlas knows of (compositions, cursors, watermarks,
 * failures). `lastRun` is the latest non-dry run that included the template (a dry run changes no data).
 */
export async function templateStatus(sql: SqlContext, templateIds?: string[]): Promise<TemplateStatusRow[]> {
  const filter = templateIds ?? null;
  const res = await sql.pool.query<StatusRecord>(
    `WITH tpl AS (
       SELECT unnest($1::text[]) AS template_id WHERE $1::text[] IS NOT NULL
       UNION
       SELECT template_id FROM (
         SELECT template_id FROM ${tbl(sql, 'compositions')}
         UNION SELECT template_id FROM ${tbl(sql, 'export_cursors')}
         UNION SELECT template_id FROM ${tbl(sql, 'watermarks')}
         UNION SELECT template_id FROM ${tbl(sql, 'failed_compositions')}
       ) known WHERE $1::text[] IS NULL
     ), c AS (
       SELECT template_id, count(*) FILTER (WHERE deleted_at IS NULL) AS live,
              count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted,
              count(DISTINCT ehr_id) FILTER (WHERE deleted_at IS NULL) AS ehrs
         FROM ${tbl(sql, 'compositions')} WHERE template_id IN (SELECT template_id FROM tpl) GROUP BY template_id
     ), f AS (
       SELECT template_id, count(*) AS failures
         FROM ${tbl(sql, 'failed_compositions')} WHERE template_id IN (SELECT template_id FROM tpl) GROUP BY template_id
     )
     SELECT tpl.template_id, ${isoText('cur.cursor_time')} AS cursor_time, cur.cursor_uid, cur.discovery_mode,
            c.live, c.deleted, c.ehrs, f.failures, lr.id AS run_id, ${isoText('lr.started_at')} AS run_started_at,
            ${isoText('lr.finished_at')} AS run_finished_at, lr.status AS run_status
       FROM tpl
       LEFT JOIN c USING (template_id)
       LEFT JOIN f USING (template_id)
       LEFT JOIN ${tbl(sql, 'export_cursors')} cur USING (template_id)
       LEFT JOIN LATERAL (
         SELECT id, started_at, finished_at, status FROM ${tbl(sql, 'export_runs')} r
          WHERE tpl.template_id = ANY(r.template_ids) AND NOT r.dry_run ORDER BY r.id DESC LIMIT 1
       ) lr ON true
      ORDER BY tpl.template_id`,
    [filter],
  );
  return res.rows.map((r) => ({
    templateId: r.template_id,
    cursor:
      r.cursor_time && r.cursor_uid && r.discovery_mode
        ? { templateId: r.template_id, time: r.cursor_time, uid: r.cursor_uid, mode: r.discovery_mode }
        : null,
    live: Number(r.live ?? 0),
    deleted: Number(r.deleted ?? 0),
    failures: Number(r.failures ?? 0),
    ehrs: Number(r.ehrs ?? 0),
    lastRun:
      r.run_id && r.run_started_at && r.run_status
        ? {
            id: Number(r.run_id),
            startedAt: r.run_started_at,
            finishedAt: r.run_finished_at,
            status: r.run_status,
          }
        : null,
  }));
}

/** Watermarks, optionally filtered, ordered by template then EHR. */
export async function listWatermarks(
  sql: SqlContext,
  filter: { templateId?: string; ehrId?: string; status?: WatermarkStatus; limit?: number } = {},
): Promise<WatermarkRow[]> {
  const res = await sql.pool.query<WatermarkRow & { compositionsExportedCount: string }>(
    `SELECT id, template_id AS "templateId", ehr_id AS "ehrId",
            ${isoText('last_exported_timestamp')} AS "lastExportedTimestamp",
            last_exported_composition_uid AS "lastExportedCompositionUid",
            compositions_exported_count AS "compositionsExportedCount",
            ${isoText('last_export_started_at')} AS "lastExportStartedAt",
            ${isoText('last_export_completed_at')} AS "lastExportCompletedAt",
            last_export_status AS "lastExportStatus"
       FROM ${tbl(sql, 'watermarks')}
      WHERE ($1::text IS NULL OR template_id = $1) AND ($2::text IS NULL OR ehr_id = $2)
        AND ($3::text IS NULL OR last_export_status = $3)
      ORDER BY template_id, ehr_id
      LIMIT $4`,
    [filter.templateId ?? null, filter.ehrId ?? null, filter.status ?? null, filter.limit ?? null],
  );
  return res.rows.map((r) => ({ ...r, compositionsExportedCount: Number(r.compositionsExportedCount) }));
}
