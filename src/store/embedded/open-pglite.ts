import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ConnectionError, coerceError } from '../../errors.js';
import { makePrivateDir, tightenTree } from '../../util/private-files.js';
import { acquireDirectoryLock } from './directory-lock.js';

/** An opened embedded database: the PGlite instance and how to give everything back. */
export interface OpenedPglite {
  dir: string;
  db: PGlite;
  /** Closes PGlite, then removes the lock file. */
  close(): Promise<void>;
}

export interface OpenPgliteOptions {
  /** Told when an existing database was readable by other users and has been made private. */
  onNotice?: (message: string) => void;
}

/**
 * Opens (creating if needed) the PGlite database kept in `dir/pgdata`, holding `dir/atlas.lock` for the
 * process's lifetime. Starting PGlite costs ~2-3 s and ~800 MB of memory: open it once per process.
 *
 * The database holds patient data: `dir` and everything in it is made private (0700/0600) before the open,
 * after it and after the close. PGlite creates its files 0666 whatever the umask; the private directory is
 * what keeps files it creates mid-run (WAL segments) out of other users' reach until the close tightens them.
 */
export async function openPglite(path: string, opts: OpenPgliteOptions = {}): Promise<OpenedPglite> {
  const dir = resolve(path);
  try {
    const existed = existsSync(join(dir, 'pgdata'));
    makePrivateDir(dir);
    const tightened = tightenTree(dir);
    if (existed && tightened > 0) {
      opts.onNotice?.(
        `the embedded database in ${dir} was readable by other users; made ${tightened} file(s) and directories private (0600/0700)`,
      );
    }
  } catch (err) {
    throw new ConnectionError(
      `cannot create the embedded database directory ${dir} (embedded.path): ${coerceError(err).message}`,
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
    throw new ConnectionError(`cannot open the embedded database in ${dir}: ${coerceError(err).message}`, {
      cause: err,
    });
  }
  tightenTree(dir);
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
        try {
          tightenTree(dir);
        } finally {
          releaseLock();
        }
      }
    },
  };
}
