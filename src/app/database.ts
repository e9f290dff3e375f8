import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppContext } from '../context.js';
import { ConfigError, ConnectionError } from '../errors.js';
import { openStore, runQuery, type ServedEmbedded, serveEmbedded } from '../store/index.js';
import type { QueryResult } from '../util/table.js';

/**
 * Refuses to create an embedded database by querying it: opening an empty directory would initialise a new
 * database (slow, and surely not what was meant: usually a wrong path).
 */
export function assertEmbeddedExists(ctx: AppContext): void {
  if (ctx.config.databaseTarget !== 'embedded') return;
  const dir = resolve(ctx.config.embedded.path);
  if (!existsSync(join(dir, 'pgdata'))) {
    throw new ConnectionError(
      `there is no embedded database in ${dir} yet: \`atlas export\` (or \`atlas demo\`, into .atlas/demo) creates it`,
    );
  }
}

/**
 * `atlas sql`: one SQL text against the configured database, embedded or PostgreSQL (several statements: the
 * last result). The schema is not migrated first, and an embedded database is never created by it.
 */
export async function querySql(ctx: AppContext, sql: string): Promise<QueryResult> {
  assertEmbeddedExists(ctx);
  const store = await openStore(ctx, { migrate: false });
  try {
    return await runQuery(store, sql);
  } finally {
    await store.close();
  }
}

/**
 * `atlas db serve`: the configured embedded database over the PostgreSQL protocol on a Unix socket in a private
 * (0700) directory, since PGlite cannot authenticate clients. It holds the database's lock while served, so no
 * other Atlas process opens it meanwhile. The caller stops it.
 */
export async function serveEmbeddedDatabase(
  ctx: AppContext,
  opts: { port: number },
): Promise<ServedEmbedded> {
  if (ctx.config.databaseTarget !== 'embedded') {
    throw new ConfigError(
      'atlas db serve serves the embedded database, but the configuration targets PostgreSQL: connect to that server directly',
    );
  }
  assertEmbeddedExists(ctx);
  const dir = resolve(ctx.config.embedded.path);
  return serveEmbedded(dir, { port: opts.port }).catch((err: Error) => {
    if (err instanceof ConnectionError) throw err; // the directory lock: another process has it open
    throw new ConnectionError(err.message, { cause: err });
  });
}
