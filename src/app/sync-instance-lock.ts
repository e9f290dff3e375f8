import { mkdirSync } from 'node:fs';
import type { AtlasConfig } from '../config/types.js';
import { ConfigError, coerceError } from '../errors.js';
import { acquireDirectoryLock } from '../store/index.js';

/** Held in the embedded database's directory for as long as an `atlas sync` runs on it. */
export const SYNC_LOCK_FILE = 'atlas-sync.lock';

/**
 * The embedded database has no advisory locks shared between processes and opens in one process at a time,
 * so only one `atlas sync` may run on it: a second one is refused at start (exit 2) with what to do instead.
 * Each cycle still opens the database itself, so `atlas status` or `atlas sql` can use it between cycles.
 * PostgreSQL needs no such lock: instances share its templates through advisory locks.
 */
export function claimEmbeddedInstance(config: AtlasConfig): () => void {
  if (config.databaseTarget !== 'embedded') return () => undefined;
  const dir = config.embedded.path;
  mkdirSync(dir, { recursive: true });
  try {
    return acquireDirectoryLock(dir, SYNC_LOCK_FILE);
  } catch (err) {
    throw new ConfigError(
      `another atlas sync already runs on the embedded database in ${dir}: the embedded database allows only ` +
        'one sync instance. To run several instances that share the templates, use PostgreSQL ' +
        `(database_target = "postgresql"). (${coerceError(err).message})`,
      { cause: err },
    );
  }
}
