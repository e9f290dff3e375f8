import type { PostgresConfig } from '../../config/types.js';
import type { AppContext } from '../../context.js';
import { lockTemplateAdvisory } from './advisory-lock.js';
import type { CompositionWriter } from './composition-upsert.js';
import { describeTarget, resolveConnectionTarget } from './connection-target.js';
import { copyWriter } from './copy-writer.js';
import { migrate } from './migrate/index.js';
import { openPostgresPool } from './pool.js';
import { SqlStore } from './sql-store.js';

/**
 * Composition writer for real PostgreSQL. COPY into a staging table then one upsert measured faster than
 * multi-row INSERT on 20k FLAT rows (bench/store-write.ts; figures in docs/architecture.md), and it needs one
 * statement per batch instead of one per 500 rows.
 */
const POSTGRES_WRITER: CompositionWriter = copyWriter;

/** The store on a real PostgreSQL server: pooled connections, COPY batch writes, advisory template locks. */
export async function openPostgresStore(ctx: AppContext, config: PostgresConfig): Promise<SqlStore> {
  const { pool, clientConfig } = await openPostgresPool(ctx, config);
  const where = describeTarget(resolveConnectionTarget(config).connectionString);
  const sql = { pool, schema: config.schema };
  return new SqlStore({
    kind: 'postgresql',
    sql,
    writer: POSTGRES_WRITER,
    migrate: async () => {
      await migrate(pool, { schema: config.schema, logger: ctx.logger });
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
