import type pg from 'pg';
import type { FailureRecord } from '../types.js';
import { isoText } from './identifiers.js';
import { type SqlContext, tbl } from './sql-context.js';

/** Records failures of a batch; a composition failing again gets attempts + 1 and the latest reason. */
export async function upsertFailures(
  client: pg.ClientBase,
  sql: SqlContext,
  failures: FailureRecord[],
  runId: number,
): Promise<void> {
  if (failures.length === 0) return;
  const fc = tbl(sql, 'failed_compositions');
  await client.query(
    `INSERT INTO ${fc} AS f (id, template_id, ehr_id, composition_uid, time_committed, reason, attempts,
                             first_failed_at, last_failed_at, last_run_id)
     SELECT id, template_id, ehr_id, composition_uid, time_committed, reason, 1, now(), now(), $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
            AS x(id, template_id, ehr_id, composition_uid, time_committed, reason)
     ON CONFLICT (template_id, id) DO UPDATE
        SET ehr_id = EXCLUDED.ehr_id, composition_uid = EXCLUDED.composition_uid,
            time_committed = EXCLUDED.time_committed, reason = EXCLUDED.reason,
            attempts = f.attempts + 1, last_failed_at = now(), last_run_id = EXCLUDED.last_run_id`,
    [
      failures.map((f) => f.id),
      failures.map((f) => f.templateId),
      failures.map((f) => f.ehrId),
      failures.map((f) => f.compositionUid),
      failures.map((f) => f.timeCommitted),
      failures.map((f) => f.reason),
      runId,
    ],
  );
}

/** Clears failure records of the template whose compositions succeeded, were deleted or are gone. */
export async function resolveFailures(
  client: pg.ClientBase,
  sql: SqlContext,
  templateId: string,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) return;
  await client.query(
    `DELETE FROM ${tbl(sql, 'failed_compositions')} WHERE template_id = $1 AND id = ANY($2::text[])`,
    [templateId, ids],
  );
}

const FAILURE_COLUMNS = `id, template_id AS "templateId", ehr_id AS "ehrId", composition_uid AS "compositionUid",
  ${isoText('time_committed')} AS "timeCommitted", reason`;

/** Failures still to retry for a template, oldest commit first. */
export async function pendingFailures(sql: SqlContext, templateId: string): Promise<FailureRecord[]> {
  const res = await sql.pool.query<FailureRecord>(
    `SELECT ${FAILURE_COLUMNS} FROM ${tbl(sql, 'failed_compositions')}
      WHERE template_id = $1 ORDER BY time_committed, id`,
    [templateId],
  );
  return res.rows;
}

/** Failure records with their attempt counts, for `atlas status` and reports. */
export async function listFailures(
  sql: SqlContext,
  templateId?: string,
): Promise<Array<FailureRecord & { attempts: number; lastFailedAt: string }>> {
  const res = await sql.pool.query<FailureRecord & { attempts: number; lastFailedAt: string }>(
    `SELECT ${FAILURE_COLUMNS}, attempts, ${isoText('last_failed_at')} AS "lastFailedAt"
       FROM ${tbl(sql, 'failed_compositions')}
      WHERE $1::text IS NULL OR template_id = $1
      ORDER BY template_id, time_committed, id`,
    [templateId ?? null],
  );
  return res.rows;
}
