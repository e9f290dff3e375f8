import type { AppContext } from '../context.js';
import type { Store } from '../store/types.js';

function storeSchema(ctx: AppContext): string {
  return ctx.config.databaseTarget === 'postgresql' ? (ctx.config.postgresql?.schema ?? 'public') : 'public';
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
  const table = `"${storeSchema(ctx).replace(/"/g, '""')}".export_runs`;
  const { rows } = await store.query<{ fp: string }>(
    `SELECT details->'anonymization'->>'keyFingerprint' AS fp FROM ${table}
      WHERE details->'anonymization'->>'keyFingerprint' IS NOT NULL ORDER BY id DESC LIMIT 1`,
  );
  return rows[0]?.fp;
}
