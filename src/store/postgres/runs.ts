import { ATLAS_VERSION } from '../../version.js';
import type { RunSummaryRecord } from '../types.js';
import { type SqlContext, tbl } from './sql-context.js';

/** Opens an export_runs row (status 'running') and returns its id. */
export async function startRun(
  sql: SqlContext,
  input: { mode: string; templateIds: string[]; dryRun: boolean },
): Promise<number> {
  const res = await sql.pool.query<{ id: string }>(
    `INSERT INTO ${tbl(sql, 'export_runs')} (mode, template_ids, dry_run, atlas_version)
     VALUES ($1, $2::text[], $3, $4) RETURNING id`,
    [input.mode, input.templateIds, input.dryRun, ATLAS_VERSION],
  );
  return Number(res.rows[0]!.id);
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
