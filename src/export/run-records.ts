import type { AppContext } from '../context.js';
import type { Store } from '../store/types.js';

/** Engine bookkeeping the Store interface has no method for, in plain SQL through `store.query`. */

function table(ctx: AppContext, name: string): string {
  const schema =
    ctx.config.databaseTarget === 'postgresql' ? (ctx.config.postgresql?.schema ?? 'public') : 'public';
  return `"${schema.replace(/"/g, '""')}".${name}`;
}

/**
 * The anonymisation key fingerprint recorded by the latest run that anonymised (in export_runs.details),
 * or undefined. Pseudonyms and tokens depend on the key: exporting into the same database with another
 * key would silently start a second, unlinkable set of pseudonyms, so the export refuses that.
 */
export async function lastKeyFingerprint(
  ctx: AppContext,
  store: Pick<Store, 'query'>,
): Promise<string | undefined> {
  const { rows } = await store.query<{ fp: string }>(
    `SELECT details->'anonymization'->>'keyFingerprint' AS fp FROM ${table(ctx, 'export_runs')}
      WHERE details->'anonymization'->>'keyFingerprint' IS NOT NULL ORDER BY id DESC LIMIT 1`,
  );
  return rows[0]?.fp;
}

/**
 * After a template finished completely without an EHR filter, every EHR of the template is exported up to
 * the cursor, including EHRs whose watermark an earlier interrupted or failed run left behind and that this
 * run had no new composition for: they are marked completed too, so `atlas status` does not report stale
 * interruptions. (The store's finishTemplate only touches watermarks written by the run.)
 */
export async function settleWatermarks(
  ctx: AppContext,
  store: Pick<Store, 'query'>,
  runId: number,
  templateId: string,
): Promise<void> {
  await store.query(
    `UPDATE ${table(ctx, 'watermarks')}
        SET last_export_status = 'completed', last_export_completed_at = now(), last_run_id = $2
      WHERE template_id = $1 AND last_export_status IN ('interrupted', 'in_progress', 'failed')`,
    [templateId, runId],
  );
}
