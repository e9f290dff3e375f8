import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionError } from '../../errors.js';

export const LOCK_FILE = 'atlas.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx'); // O_CREAT | O_EXCL: exactly one process wins
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * PGlite has no cross-process lock: two processes opening one data directory both succeed and corrupt it.
 * This lock file (O_EXCL, holding the pid) makes the second opener fail with a clear message. A lock left by
 * a process that no longer exists (killed, crashed) is taken over. Returns the release function.
 */
export function acquireDirectoryLock(dir: string, fileName: string = LOCK_FILE): () => void {
  const path = join(dir, fileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(path)) {
      return () => {
        try {
          if (holderPid(path) === process.pid) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    }
    const pid = holderPid(path);
    if (pid !== undefined && (pid === process.pid || isAlive(pid))) {
      const who = pid === process.pid ? 'this process (opened twice)' : `process ${pid}`;
      throw new ConnectionError(
        `the embedded database in ${dir} is in use by ${who}: only one Atlas process can open it at a time. ` +
          `Stop the other process (or use \`atlas db serve\` in it and connect through that); if no Atlas is ` +
          `running, delete ${path}.`,
      );
    }
    // Stale (holder dead) or unreadable half-written lock: remove it and try once more. If another process
    // takes it over at the same moment, the second O_EXCL create tells us.
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new ConnectionError(
    `the embedded database in ${dir} was locked by another process while opening; retry`,
  );
}
