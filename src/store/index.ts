import type { AppContext } from '../context.js';
import { ConfigError } from '../errors.js';
import { openEmbeddedStore } from './embedded/embedded-store.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import type { Store, StoreAccess } from './types.js';

export { EmbeddedStore, type ServedEmbedded, serveEmbedded } from './embedded/index.js';
export {
  formatMigrationReport,
  formatMigrationStatus,
  type MigrationReport,
  type MigrationStatus,
  migrateDatabase,
  migrationBlocksWork,
  readDatabaseMigrationStatus,
} from './migration.js';
export { TemplateLockedError } from './postgres/template-locked-error.js';
export { runQuery } from './run-query.js';
export type * from './types.js';
export { WATERMARK_STATUSES } from './types.js';

export interface OpenStoreOptions {
  /** Apply pending migrations (default true); false e.g. for `atlas migrate --dry-run`. */
  migrate?: boolean;
  /**
   * What the command does with the store (default 'write'). 'read' (status, verify, sql) makes the migrator
   * check SELECT only, so a role with SELECT alone can run read-only commands on an up-to-date schema.
   */
  access?: StoreAccess;
}

/**
 * Opens the configured store: PostgreSQL when `database_target` is postgresql, otherwise the embedded
 * database in `embedded.path`. Pending migrations are applied unless `migrate: false` (e.g. `atlas migrate
 * --dry-run`, `atlas status` on a database it must not change). On a failed migration the store is closed.
 */
export async function openStore(ctx: AppContext, opts: OpenStoreOptions = {}): Promise<Store> {
  let store: Store;
  if (ctx.config.databaseTarget === 'postgresql') {
    if (!ctx.config.postgresql) {
      throw new ConfigError(
        'database target is postgresql but there is no [postgresql] section with connection_string',
      );
    }
    store = await openPostgresStore(ctx, ctx.config.postgresql);
  } else {
    store = await openEmbeddedStore(ctx, ctx.config.embedded.path);
  }
  if (opts.migrate === false) return store;
  try {
    await store.migrate({ access: opts.access ?? 'write' });
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}
