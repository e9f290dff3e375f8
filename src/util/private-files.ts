import { chmodSync, fchmodSync, fstatSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files Atlas writes that hold patient data or secrets (the embedded database, the demo database, the audit
 * and log files, the configuration `init` writes) are private to their owner: directories 0700, files 0600.
 * The process umask cannot be relied on (it usually leaves files world-readable) and PGlite creates its
 * files 0666 whatever the umask, so modes are set explicitly and checked again on every open.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Bits that give the group or other users any access. */
const SHARED_BITS = 0o077;

/**
 * Creates `dir` (and missing parents) 0700. An existing directory is left as it is: it may be the user's
 * own shared directory (the log directory `.`, say); only what Atlas owns entirely is tightened
 * (`tightenTree`).
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Takes group and other access off an open file (one Atlas appends to but may not have created). */
export function tightenOpenFile(fd: number): boolean {
  const mode = fstatSync(fd).mode;
  if ((mode & SHARED_BITS) === 0) return false;
  fchmodSync(fd, mode & 0o700);
  return true;
}

/**
 * Makes every directory under `root` (itself included) 0700 and every file 0600 where group or other users
 * had any access; symbolic links are not followed. Returns how many entries were tightened, so the caller can
 * say so when an existing directory was readable by others.
 */
export function tightenTree(root: string): number {
  let tightened = 0;
  const visit = (path: string): void => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if ((st.mode & SHARED_BITS) !== 0) {
        chmodSync(path, PRIVATE_DIR_MODE);
        tightened++;
      }
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if ((st.mode & SHARED_BITS) !== 0) {
      chmodSync(path, PRIVATE_FILE_MODE);
      tightened++;
    }
  };
  visit(root);
  return tightened;
}
