import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/errors.js';
import { openStore, serveEmbedded } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/types.js';
import { bookkeepingSuite } from './bookkeeping-suite.js';
import { coreStoreSuite, lockSuite } from './core-suite.js';
import { batch, compositionRow } from './rows.js';
import { storeConfig, storeContext } from './store-context.js';

const dir = join(mkdtempSync(join(tmpdir(), 'atlas-embedded-')), 'db');
const ctx = storeContext(storeConfig({ embeddedPath: dir }));
const lockModule = join(process.cwd(), 'src/store/embedded/directory-lock.ts');
const holder = join(process.cwd(), 'test/integration/store/fixtures/lock-holder.mjs');
let store: Store;

/** Starts the lock-holder child and resolves with its first line of output (and the process). */
function lockHolder(): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [holder, lockModule, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, line: out.trim() });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`lock holder exited with ${code} before reporting`));
    });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  store = await openStore(ctx);
});
afterAll(async () => {
  await store?.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('embedded store', () => {
  it('is the embedded kind, with its data and lock file in embedded.path', () => {
    expect(store.kind).toBe('embedded');
    expect(existsSync(join(dir, 'pgdata'))).toBe(true);
    expect(readFileSync(join(dir, 'atlas.lock'), 'utf8').trim()).toBe(String(process.pid));
  });
  it('writes one batch at a time (its single connection could not hold a second, waiting batch)', () => {
    expect(store.writesInFlight).toBe(1);
  });
  coreStoreSuite(() => store);
  bookkeepingSuite(() => store);
  lockSuite(
    () => store,
    () => store,
  );

  it('serves the open database on a private Unix socket to several wire-protocol clients at once', async () => {
    const served = await serveEmbedded(store as Parameters<typeof serveEmbedded>[0], { port: 5438 });
    const clients = [new pg.Client(served.url), new pg.Client(served.url)];
    try {
      expect(statSync(served.socketDir).mode & 0o777).toBe(0o700);
      expect(served.url).toBe(
        `postgresql://postgres@/postgres?host=${encodeURIComponent(served.socketDir)}&port=5438`,
      );
      await Promise.all(clients.map((c) => c.connect()));
      const counts = await Promise.all(
        clients.map((c) => c.query<{ n: number }>('SELECT count(*)::int AS n FROM compositions')),
      );
      const { rows } = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM compositions');
      expect(counts.map((r) => r.rows[0]!.n)).toEqual([rows[0]!.n, rows[0]!.n]);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await served.stop();
    }
  });

  it('refuses a second opener in another process while open, naming this process', async () => {
    const { child, line } = await lockHolder();
    await new Promise((r) => child.once('exit', r));
    expect(line).toMatch(new RegExp(`^refused ConnectionError: .*in use by process ${process.pid}`));
    expect(line).toContain('only one Atlas process can open it at a time');
  });

  it('refuses a second opener in the same process', async () => {
    await expect(serveEmbedded(dir, { port: 5438 })).rejects.toThrow(/in use by this process/);
  });

  it('persists across close and reopen; a lock held by a live process blocks opening; a dead one is taken over', async () => {
    const t = 'Persist.v1';
    const run = await store.startRun({ mode: 'full', templateIds: [t], dryRun: false });
    const row = compositionRow(t);
    await store.writeBatch(batch(run, t, { compositions: [row] }));
    await store.close();
    expect(existsSync(join(dir, 'atlas.lock'))).toBe(false);

    const { child, line } = await lockHolder();
    expect(line).toBe(`locked ${child.pid}`);
    const err = await openStore(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain(`in use by process ${child.pid}`);

    await killed(child); // the lock file stays behind, naming a dead process
    expect(readFileSync(join(dir, 'atlas.lock'), 'utf8').trim()).toBe(String(child.pid));
    store = await openStore(ctx);
    expect((await store.getStoredVersions([row.id])).get(row.id)?.compositionUid).toBe(row.compositionUid);
    expect(readFileSync(join(dir, 'atlas.lock'), 'utf8').trim()).toBe(String(process.pid));
  });
});
