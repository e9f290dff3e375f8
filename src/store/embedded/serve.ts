import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { coerceError } from '../../errors.js';
import { EmbeddedStore } from './embedded-store.js';
import { type OpenedPglite, openPglite } from './open-pglite.js';

export interface ServedEmbedded {
  /** The private directory holding the socket: what psql takes as `-h` (host). */
  socketDir: string;
  /** The number in the socket's name (`.s.PGSQL.<port>`): what psql takes as `-p`. */
  port: number;
  /** A connection string for pg clients and libpq (host given as the socket directory). */
  url: string;
  /** Stops listening and removes the socket directory; closes the database too if serveEmbedded opened it. */
  stop(): Promise<void>;
}

/**
 * Exposes the embedded database over the PostgreSQL wire protocol on a Unix socket (`atlas db serve`), so psql
 * and other clients can query it.
 *
 * Why a Unix socket and not TCP with a password: PGlite runs PostgreSQL in single-user mode and
 * pglite-socket hands the client's startup message straight to it, which answers AuthenticationOk for any
 * user name and password; there is no hook to authenticate clients. On 127.0.0.1 that gave every local
 * account full write access. The socket lives in a fresh directory of mode 0700 (mkdtemp), so only its owner
 * (and root) can connect: the file system is the authentication.
 *
 * Pass the open store to share its database, or a directory to open it (taking the directory lock). At least
 * two client connections are allowed (PGlite multiplexes them over its one backend). COPY FROM STDIN does not
 * work over this socket (upstream issue electric-sql/pglite#911); COPY TO STDOUT and every other statement do.
 */
export async function serveEmbedded(
  target: EmbeddedStore | string,
  opts: { port: number; maxConnections?: number },
): Promise<ServedEmbedded> {
  const opened: OpenedPglite | undefined =
    target instanceof EmbeddedStore ? undefined : await openPglite(target);
  const db = target instanceof EmbeddedStore ? target.database.db : opened!.db;
  let socketDir: string | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    socketDir = await privateSocketDir();
    server = new PGLiteSocketServer({
      db,
      path: join(socketDir, `.s.PGSQL.${opts.port}`),
      maxConnections: Math.max(2, opts.maxConnections ?? 8),
    });
    await server.start();
  } catch (err) {
    if (socketDir) await rm(socketDir, { recursive: true, force: true });
    await opened?.close();
    throw new Error(`cannot serve the embedded database on a Unix socket: ${coerceError(err).message}`, {
      cause: err,
    });
  }
  const dir = socketDir;
  const running = server;
  return {
    socketDir: dir,
    port: opts.port,
    url: `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${opts.port}`,
    stop: async () => {
      try {
        await running.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
        await opened?.close();
      }
    },
  };
}

/** A fresh directory only its owner can enter; checked after creation rather than trusting the umask. */
async function privateSocketDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-db-serve-'));
  await chmod(dir, 0o700);
  const st = await stat(dir);
  if ((st.mode & 0o077) !== 0 || (typeof process.getuid === 'function' && st.uid !== process.getuid())) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`the socket directory ${dir} is not private to this user`);
  }
  return dir;
}
