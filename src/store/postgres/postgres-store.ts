import type { PostgresConfig } from '../../config/types.js';
import type { AppContext } from '../../context.js';
import { lockTemplateAdvisory } from './advisory-lock.js';
import type { CompositionWriter } from './composition-upsert.js';
import { describeTarget, resolveConnectionTarget } from './connection-target.js';
import { copyNewWriter } from './copy-new-writer.js';
import { migrate } from './migrate/index.js';
import { openPostgresPool } from './pool.js';
import { SqlStore } from './sql-store.js';

/**
 * Composition writer for real PostgreSQL: rows not stored yet are COPYed straight into the table, stored ones
 * upserted with multi-row INSERT. The export benchmark (docs/benchmark.md) measured the server's CPU per
 * 1,000 new rows at about COPY's own (the physical limit), against roughly twice that for an upsert of new rows
 * (INSERT … ON CONFLICT, or COPY into a staging table and INSERT … SELECT), whose per-row conflict check and
 * single-row heap inserts cost more than COPY's bulk path. The other writers stay selectable (tests, bench).
 */
const DEFAULT_WRITER: CompositionWriter = copyNewWriter;

/** The store on a real PostgreSQL server: pooled connections, batched upserts, advisory template locks. */
export async function openPostgresStore(
  ctx: AppContext,
  config: PostgresConfig,
  opts: { writer?: CompositionWriter } = {},
): Promise<SqlStore> {
  const { pool, clientConfig } = await openPostgresPool(ctx, config);
  const where = describeTarget(resolveConnectionTarget(config).connectionString);
  const sql = { pool, schema: config.schema };
  return new SqlStore({
    kind: 'postgresql',
    sql,
    writer: opts.writer ?? DEFAULT_WRITER,
    migrate: async (opts) => {
      await migrate(pool, { schema: config.schema, logger: ctx.logger, access: opts?.access ?? 'write' });
    },
    lockTemplate: (templateId, mode, signal) =>
      lockTemplateAdvisory(
        { logger: ctx.logger, clientConfig, schema: config.schema, where },
        templateId,
        mode,
        signal ?? ctx.signal,
      ),
    close: () => pool.end(),
  });
}
