import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { coerceError } from '../../errors.js';
import { EmbeddedStore } from './embedded-store.js';
import { type OpenedPglite, openPglite } from './open-pglite.js';

export interface ServedEmbedded {
  host: '127.0.0.1';
  port: number;
  /** What to give psql or a BI tool (PGlite accepts any password; the socket is loopback only). */
  url: string;
  /** Stops listening; closes the database too if serveEmbedded opened it from a directory. */
  stop(): Promise<void>;
}

/**
 * Exposes the embedded database over the PostgreSQL wire protocol on 127.0.0.1 (`atlas db serve`,
 * `atlas sql`), so psql and other clients can query it. Pass the open store to share its database, or a
 * directory to open it (taking the directory lock). At least two client connections are allowed (PGlite
 * multiplexes them over its one backend). COPY FROM STDIN does not work over this socket (upstream issue
 * electric-sql/pglite#911); COPY TO STDOUT and every other statement do.
 */
export async function serveEmbedded(
  target: EmbeddedStore | string,
  opts: { port: number; maxConnections?: number },
): Promise<ServedEmbedded> {
  const opened: OpenedPglite | undefined =
    target instanceof EmbeddedStore ? undefined : await openPglite(target);
  const db = target instanceof EmbeddedStore ? target.database.db : opened!.db;
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: opts.port,
    maxConnections: Math.max(2, opts.maxConnections ?? 8),
  });
  try {
    await server.start();
  } catch (err) {
    await opened?.close();
    throw new Error(
      `cannot serve the embedded database on 127.0.0.1:${opts.port}: ${coerceError(err).message}`,
      {
        cause: err,
      },
    );
  }
  // The server resolves port 0 to the port the kernel chose; getServerConn() reports it as host:port.
  const port = Number(server.getServerConn().split(':').at(-1));
  return {
    host: '127.0.0.1',
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      try {
        await server.stop();
      } finally {
        await opened?.close();
      }
    },
  };
}
