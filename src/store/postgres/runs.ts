import type { Logger } from '../../context.js';
import { ATLAS_VERSION } from '../../version.js';
import type { RunSummaryRecord } from '../types.js';
import type { RunLiveness } from './run-liveness.js';
import { type SqlContext, tbl } from './sql-context.js';

/** How many of the latest `running` rows a new run checks for a dead process (older ones wait for the next). */
const CRASH_CHECK_LIMIT = 100;

/**
 * Opens an export_runs row (status 'running') under the run's liveness token and returns its id. Then runs
 * whose process died without recording an outcome are marked `interrupted` (see markCrashedRuns).
 */
export async function startRun(
  sql: SqlContext,
  liveness: RunLiveness,
  logger: Logger,
  input: { mode: string; templateIds: string[]; dryRun: boolean },
): Promise<number> {
  const id = await liveness.start(async (q) => {
    const res = await q.query<{ id: string }>(
      `INSERT INTO ${tbl(sql, 'export_runs')} (mode, template_ids, dry_run, atlas_version)
       VALUES ($1, $2::text[], $3, $4) RETURNING id`,
      [input.mode, input.templateIds, input.dryRun, ATLAS_VERSION],
    );
    return Number(res.rows[0]?.id);
  });
  await markCrashedRuns(sql, liveness, logger, id);
  return id;
}

/**
 * A run left `running` by a process that is gone (killed with -9, crashed, its host lost) would say so for
 * ever: it is marked `interrupted` with the reason, and the watermarks it left in progress too. Everything
 * it committed stays (batches are atomic); the next export of its templates resumes from their cursors.
 */
export async function markCrashedRuns(
  sql: SqlContext,
  liveness: RunLiveness,
  logger: Logger,
  currentRunId: number,
): Promise<number[]> {
  const { rows } = await sql.pool.query<{ id: string }>(
    `SELECT id FROM ${tbl(sql, 'export_runs')} WHERE status = 'running' AND id <> $1 ORDER BY id DESC LIMIT ${CRASH_CHECK_LIMIT}`,
    [currentRunId],
  );
  const marked: number[] = [];
  for (const row of rows) {
    const id = Number(row.id);
    if (!(await liveness.isGone(id))) continue;
    const res = await sql.pool.query(
      `UPDATE ${tbl(sql, 'export_runs')} SET status = 'interrupted', error = $2 WHERE id = $1 AND status = 'running'`,
      [
        id,
        `the process running this export ended without recording its outcome (killed, crashed or its host lost); found by run ${currentRunId}. Its committed batches are kept; the next export resumes from the cursors`,
      ],
    );
    if (res.rowCount !== 1) continue;
    await sql.pool.query(
      `UPDATE ${tbl(sql, 'watermarks')} SET last_export_status = 'interrupted'
        WHERE last_run_id = $1 AND last_export_status = 'in_progress'`,
      [id],
    );
    marked.push(id);
  }
  if (marked.length > 0) {
    logger.warn(
      { runs: marked },
      'earlier export runs ended without recording an outcome; marked interrupted',
    );
  }
  return marked;
}

/** Closes a run with its outcome and totals. */
export async function finishRun(sql: SqlContext, runId: number, summary: RunSummaryRecord): Promise<void> {
  const res = await sql.pool.query(
    `UPDATE ${tbl(sql, 'export_runs')}
        SET finished_at = now(), status = $2, compositions_written = $3, compositions_unchanged = $4,
            compositions_deleted = $5, compositions_failed = $6, error = $7, details = $8::jsonb
      WHERE id = $1`,
    [
      runId,
      summary.status,
      summary.compositionsWritten,
      summary.compositionsUnchanged,
      summary.compositionsDeleted,
      summary.compositionsFailed,
      summary.error ?? null,
      // details is an object: serialised exactly once, parsed to jsonb by the server.
      summary.details === undefined ? null : JSON.stringify(summary.details),
    ],
  );
  if (res.rowCount !== 1) throw new Error(`export run ${runId} does not exist; cannot record its outcome`);
}

/** Key fingerprint in the details of the latest run that recorded one (newest run id first). */
export async function lastKeyFingerprint(sql: SqlContext): Promise<string | undefined> {
  const res = await sql.pool.query<{ fp: string }>(
    `SELECT details->'anonymization'->>'keyFingerprint' AS fp FROM ${tbl(sql, 'export_runs')}
      WHERE details->'anonymization'->>'keyFingerprint' IS NOT NULL ORDER BY id DESC LIMIT 1`,
  );
  return res.rows[0]?.fp;
}
