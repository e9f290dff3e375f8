import { existsSync } from 'node:fs';
import type { AppContext } from '../context.js';
import { emptyState, type StateReader } from '../export/index.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';

/**
 * What a dry run reads: the store when the database already has Atlas's tables, otherwise nothing (an
 * empty state). It never migrates, never creates an embedded database directory, never writes.
 */
export async function openDryRunState(ctx: AppContext): Promise<{ state: StateReader; store?: Store }> {
  if (ctx.config.databaseTarget === 'embedded' && !existsSync(ctx.config.embedded.path)) {
    return { state: emptyState };
  }
  const store = await openStore(ctx, { migrate: false });
  try {
    const schema =
      ctx.config.databaseTarget === 'postgresql' ? (ctx.config.postgresql?.schema ?? 'public') : 'public';
    const { rows } = await store.query<{ migrated: boolean }>(
      `SELECT to_regclass(format('%I.%I', $1::text, 'export_cursors')) IS NOT NULL AS migrated`,
      [schema],
    );
    if (rows[0]?.migrated) return { state: store, store };
    ctx.logger.info('the database has no Atlas tables yet: the dry run treats it as empty');
    return { state: emptyState, store };
  } catch (err) {
    await store.close();
    throw err;
  }
}
