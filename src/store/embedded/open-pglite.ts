import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ConnectionError } from '../../errors.js';
import { acquireDirectoryLock } from './directory-lock.js';

/** An opened embedded database: the PGlite instance and how to give everything back. */
export interface OpenedPglite {
  dir: string;
  db: PGlite;
  /** Closes PGlite, then removes the lock file. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the PGlite database kept in `dir/pgdata`, holding `dir/atlas.lock` for the
 * process's lifetime. Starting PGlite costs ~2-3 s and ~800 MB of memory: open it once per process.
 */
export async function openPglite(path: string): Promise<OpenedPglite> {
  const dir = resolve(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ConnectionError(
      `cannot create the embedded database directory ${dir} (embedded.path): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const releaseLock = acquireDirectoryLock(dir);
  let db: PGlite;
  try {
    db = await PGlite.create(join(dir, 'pgdata'));
  } catch (err) {
    releaseLock();
    throw new ConnectionError(`cannot open the embedded database in ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let closed = false;
  return {
    dir,
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        releaseLock();
      }
    },
  };
}
