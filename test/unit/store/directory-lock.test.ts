import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/errors.js';
import { acquireDirectoryLock, LOCK_FILE } from '../../../src/store/embedded/directory-lock.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'atlas-lock-'));

/** The pid of a process that has exited (its slot is free again). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('acquireDirectoryLock', () => {
  it('writes our pid, refuses a second acquisition while held, and removes the file on release', () => {
    const dir = fresh();
    const release = acquireDirectoryLock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(() => acquireDirectoryLock(dir)).toThrow(ConnectionError);
    expect(() => acquireDirectoryLock(dir)).toThrow(/in use by this process/);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireDirectoryLock(dir)();
  });

  it('takes over a lock whose process is gone', () => {
    const dir = fresh();
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    const release = acquireDirectoryLock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('refuses when a live process holds it, naming that pid and the lock file', () => {
    const dir = fresh();
    // Our parent process is alive for the duration of the test.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(() => acquireDirectoryLock(dir)).toThrow(new RegExp(`process ${process.ppid}.*${LOCK_FILE}`));
  });

  it('treats an unreadable (empty) lock file as stale', () => {
    const dir = fresh();
    writeFileSync(join(dir, LOCK_FILE), '');
    acquireDirectoryLock(dir)();
  });
});
