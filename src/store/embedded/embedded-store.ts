import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import type { AppContext } from '../../context.js';
import { insertWriter } from '../postgres/insert-writer.js';
import { migrate } from '../postgres/migrate/index.js';
import { InProcessRunLiveness } from '../postgres/run-liveness.js';
import { SqlStore } from '../postgres/sql-store.js';
import { type OpenedPglite, openPglite } from './open-pglite.js';
import { InProcessTemplateLocks } from './template-locks.js';

/** Schema of the embedded database: it is Atlas's own, so the default schema. */
export const EMBEDDED_SCHEMA = 'public';

/** The embedded store: the same SqlStore over PGlite, plus the opened database for `atlas db serve`. */
export class EmbeddedStore extends SqlStore {
  readonly database: OpenedPglite;

  constructor(parts: ConstructorParameters<typeof SqlStore>[0], database: OpenedPglite) {
    super(parts);
    this.database = database;
  }
}

/**
 * Opens the embedded PGlite database in `embedded.path` and drives it with node-postgres through PGlite's
 * in-process adapter, so every query is the same SQL as on a real server. The adapter is one session: the
 * pool has exactly one connection that never idles out, which serialises the store's work (a batch
 * transaction cannot interleave with other statements). Writes use multi-row INSERT: COPY FROM STDIN does
 * not work through the adapter.
 */
export async function openEmbeddedStore(ctx: AppContext, path: string): Promise<EmbeddedStore> {
  const database = await openPglite(path, { onNotice: (message) => ctx.logger.warn(message) });
  const pool = new pg.Pool({ ...createPgConfig(database.db), max: 1, idleTimeoutMillis: 0 });
  pool.on('error', (err) =>
    ctx.logger.warn({ err: { message: err.message } }, 'embedded database connection error'),
  );
  const locks = new InProcessTemplateLocks(`the embedded database in ${database.dir}`);
  const sql = { pool, schema: EMBEDDED_SCHEMA };
  return new EmbeddedStore(
    {
      kind: 'embedded',
      sql,
      writer: insertWriter,
      maxConnections: 1,
      migrate: async (opts) => {
        await migrate(pool, { schema: EMBEDDED_SCHEMA, logger: ctx.logger, access: opts?.access ?? 'write' });
      },
      runs: new InProcessRunLiveness(pool),
      logger: ctx.logger,
      lockTemplate: (templateId, mode, signal) => locks.lock(templateId, mode, signal ?? ctx.signal),
      close: async () => {
        try {
          await pool.end();
        } finally {
          await database.close();
        }
      },
    },
    database,
  );
}
