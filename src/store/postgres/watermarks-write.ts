import type pg from 'pg';
import type { WatermarkStatus } from '../types.js';
import type { WatermarkInput } from './batch-plan.js';
import { type SqlContext, tbl } from './sql-context.js';

/**
 * One statement for all (template, ehr) pairs of a batch: pairs are aggregated server-side (latest commit time
 * and its uid compared as timestamptz, so offsets and microseconds are exact), existing watermarks are updated
 * and missing ones inserted. Matching is on (template_id, ehr_id), and the id is normalised to
 * `{template_id}::{ehr_id}`, so a row written by an older Atlas under another id is taken over, not duplicated.
 * A pair with only deletions has no commit time: it updates an existing watermark but never creates one.
 */
export async function upsertWatermarks(
  client: pg.ClientBase,
  sql: SqlContext,
  input: WatermarkInput,
  runId: number,
): Promise<void> {
  if (input.templateIds.length === 0) return;
  const wm = tbl(sql, 'watermarks');
  await client.query(
    `WITH r AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[])
                  AS r(template_id, ehr_id, time, uid, delta)
     ), agg AS (
       SELECT template_id, ehr_id, max(time) AS max_time, sum(delta) AS delta FROM r GROUP BY template_id, ehr_id
     ), top AS (
       SELECT DISTINCT ON (template_id, ehr_id) template_id, ehr_id, uid
         FROM r WHERE time IS NOT NULL ORDER BY template_id, ehr_id, time DESC, uid DESC
     ), t AS (
       SELECT agg.*, top.uid AS max_uid, agg.template_id || '::' || agg.ehr_id AS wm_id
         FROM agg LEFT JOIN top USING (template_id, ehr_id)
     ), run AS (
       SELECT coalesce((SELECT started_at FROM ${tbl(sql, 'export_runs')} WHERE id = $6), now()) AS started_at
     ), upd AS (
       UPDATE ${wm} w SET
              id = t.wm_id,
              last_exported_timestamp = greatest(w.last_exported_timestamp, t.max_time),
              last_exported_composition_uid = CASE WHEN t.max_time >= w.last_exported_timestamp
                                                   THEN t.max_uid ELSE w.last_exported_composition_uid END,
              compositions_exported_count = greatest(0, w.compositions_exported_count + t.delta),
              last_export_started_at = run.started_at,
              last_export_completed_at = NULL,
              last_export_status = 'in_progress',
              last_run_id = $6
         FROM t, run
        WHERE w.template_id = t.template_id AND w.ehr_id = t.ehr_id
       RETURNING w.template_id, w.ehr_id
     )
     INSERT INTO ${wm} (id, template_id, ehr_id, last_exported_timestamp, last_exported_composition_uid,
                        compositions_exported_count, last_export_started_at, last_export_completed_at,
                        last_export_status, last_run_id)
     SELECT t.wm_id, t.template_id, t.ehr_id, t.max_time, t.max_uid, greatest(0, t.delta), run.started_at, NULL,
            'in_progress', $6
       FROM t, run
      WHERE t.max_time IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM upd WHERE upd.template_id = t.template_id AND upd.ehr_id = t.ehr_id)`,
    [input.templateIds, input.ehrIds, input.times, input.uids, input.deltas, runId],
  );
}

/**
 * Closes the template's watermarks touched by this run: status, and the completion time for the final states
 * (completed / failed / interrupted).
 */
export async function finishTemplate(
  sql: SqlContext,
  runId: number,
  templateId: string,
  status: Exclude<WatermarkStatus, 'not_started'>,
): Promise<void> {
  await sql.pool.query(
    `UPDATE ${tbl(sql, 'watermarks')}
        SET last_export_status = $3,
            last_export_completed_at = CASE WHEN $3 = 'in_progress' THEN NULL ELSE now() END
      WHERE template_id = $2 AND last_run_id = $1`,
    [runId, templateId, status],
  );
}

/** Marks the template's watermarks left interrupted, in progress or failed by earlier runs completed by this run. */
export async function settleWatermarks(sql: SqlContext, runId: number, templateId: string): Promise<void> {
  await sql.pool.query(
    `UPDATE ${tbl(sql, 'watermarks')}
        SET last_export_status = 'completed', last_export_completed_at = now(), last_run_id = $2
      WHERE template_id = $1 AND last_export_status IN ('interrupted', 'in_progress', 'failed')`,
    [templateId, runId],
  );
}
