import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInit } from '../../../src/cli/commands/init.js';
import { RotatingFile } from '../../../src/cli/logger-file.js';
import { claimDemoDirectory } from '../../../src/demo/demo-database.js';
import { openAuditLog } from '../../../src/privacy/audit-log.js';
import { openPglite } from '../../../src/store/embedded/open-pglite.js';

// Issue 16, item 1: what Atlas writes that holds patient data or secrets is private to its owner, whatever
// the umask (PGlite itself creates 0666 files), and an existing world-readable database is tightened.

const root = mkdtempSync(join(tmpdir(), 'atlas-private-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string): number => statSync(path).mode & 0o777;

/** Every entry under `dir` (itself included) with group or other access. */
function sharedEntries(dir: string): string[] {
  const out: string[] = [];
  const visit = (path: string) => {
    if (modeOf(path) & 0o077) out.push(`${path} ${modeOf(path).toString(8)}`);
    if (statSync(path).isDirectory()) for (const n of readdirSync(path)) visit(join(path, n));
  };
  visit(dir);
  return out;
}

describe('private files (issue 16, item 1)', () => {
  it('the embedded database: 0700 directories and 0600 files after open, writes and close', async () => {
    const dir = join(root, 'embedded', 'db');
    const db = await openPglite(dir);
    try {
      expect(modeOf(dir)).toBe(0o700);
      await db.db.exec(
        "CREATE TABLE t (x text); INSERT INTO t SELECT repeat('x', 1000) FROM generate_series(1, 2000);",
      );
      // While open, files PGlite creates may be 0666, but nobody else can traverse the 0700 directory.
      expect(modeOf(dir)).toBe(0o700);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dir, 'pgdata', 'pg_hba.conf'))).toBe(true);
    expect(sharedEntries(dir)).toEqual([]);
  });

  it('an existing world-readable database is tightened on open, with a notice', async () => {
    const dir = join(root, 'loose', 'db');
    await (await openPglite(dir)).close();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'pgdata'), 0o777);
    chmodSync(join(dir, 'pgdata', 'pg_hba.conf'), 0o666);
    const notices: string[] = [];
    const db = await openPglite(dir, { onNotice: (m) => notices.push(m) });
    try {
      expect(modeOf(dir)).toBe(0o700);
      expect(modeOf(join(dir, 'pgdata'))).toBe(0o700);
      expect(modeOf(join(dir, 'pgdata', 'pg_hba.conf'))).toBe(0o600);
    } finally {
      await db.close();
    }
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/was readable by other users; made \d+ file\(s\) and directories private/);
    // A private database opens without a notice.
    const again: string[] = [];
    await (await openPglite(dir, { onNotice: (m) => again.push(m) })).close();
    expect(again).toEqual([]);
  });

  it('the demo directory and its marker file', () => {
    const dir = join(root, 'demo', 'data');
    claimDemoDirectory(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(sharedEntries(dir)).toEqual([]);
  });

  it('the audit log: a new one (and its new directory) private, an existing loose one tightened', async () => {
    const logPath = join(root, 'audit', 'sub', 'audit.log');
    const log = await openAuditLog({ enabled: true, logPath, jsonFormat: true });
    await log.close();
    expect(modeOf(join(root, 'audit', 'sub'))).toBe(0o700);
    expect(modeOf(logPath)).toBe(0o600);
    chmodSync(logPath, 0o644);
    await (await openAuditLog({ enabled: true, logPath, jsonFormat: true })).close();
    expect(modeOf(logPath)).toBe(0o600);
  });

  it('the local log file: new directory 0700, files 0600, an existing loose file tightened', () => {
    const dir = join(root, 'logs', 'atlas');
    const file = new RotatingFile({ dir, rotation: 'size', maxBytes: 1_000_000 });
    file.write('{"msg":"one"}\n');
    file.close();
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, 'atlas.log'))).toBe(0o600);
    chmodSync(join(dir, 'atlas.log'), 0o666);
    const again = new RotatingFile({ dir, rotation: 'size', maxBytes: 1_000_000 });
    again.write('{"msg":"two"}\n');
    again.close();
    expect(modeOf(join(dir, 'atlas.log'))).toBe(0o600);
  });

  it('`atlas init` output is 0600, also when --force overwrites a world-readable file', async () => {
    mkdirSync(join(root, 'init'));
    const out = { write: () => true };
    const fresh = join(root, 'init', 'atlas.toml');
    await runInit({ output: fresh }, out);
    expect(modeOf(fresh)).toBe(0o600);
    const loose = join(root, 'init', 'loose.toml');
    writeFileSync(loose, '# old\n', { mode: 0o644 });
    chmodSync(loose, 0o644);
    await runInit({ output: loose, force: true }, out);
    expect(modeOf(loose)).toBe(0o600);
  });
});
