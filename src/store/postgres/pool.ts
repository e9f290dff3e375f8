import pg from 'pg';
import type { PostgresConfig } from '../../config/types.js';
import type { AppContext } from '../../context.js';
import { toConnectionError } from './connection-error.js';
import { type ConnectionTarget, describeTarget, resolveConnectionTarget } from './connection-target.js';
import { tlsIsOptional, tlsOptions } from './tls-options.js';

/** The driver configuration for a target: one place decides TLS, timeouts and the session settings. */
export function buildPoolConfig(config: PostgresConfig, target: ConnectionTarget): pg.PoolConfig {
  return {
    connectionString: target.connectionString,
    ssl: tlsOptions(target),
    max: config.maxConnections,
    connectionTimeoutMillis: config.connectionTimeoutSeconds * 1000,
    // A startup parameter, applied once per connection by the server (never a SET per statement).
    statement_timeout: config.statementTimeoutSeconds * 1000,
    application_name: 'atlas',
    keepAlive: true,
  };
}

export interface PostgresPool {
  pool: pg.Pool;
  /** The settings the pool ended up using (after a TLS fallback); for dedicated connections such as locks. */
  clientConfig: pg.ClientConfig;
}

const NO_TLS_ON_SERVER = 'The server does not support SSL connections';

async function probe(ctx: AppContext, poolConfig: pg.PoolConfig): Promise<pg.Pool> {
  const pool = new pg.Pool(poolConfig);
  // An idle pooled connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (err) =>
    ctx.logger.warn({ err: { message: err.message } }, 'idle PostgreSQL connection lost'),
  );
  try {
    const client = await pool.connect();
    client.release();
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/**
 * Opens a pool and proves it with one connection, so configuration errors surface at start-up as a
 * ConnectionError that names the server (never the password) and says what to fix.
 *
 * TLS fallback for ssl_mode allow/prefer: node-postgres has no "prefer" of its own; it fails with
 * "The server does not support SSL connections" when it asks for TLS and the server declines. On exactly
 * that error we retry once without TLS and keep that choice for the pool's life (and log it). Any other error
 * (refused, auth, certificate) is reported as is.
 */
export async function openPostgresPool(ctx: AppContext, config: PostgresConfig): Promise<PostgresPool> {
  const target = resolveConnectionTarget(config);
  if (target.sslModeFromUrl) {
    ctx.logger.info(
      { sslMode: target.sslMode },
      'sslmode in postgresql.connection_string is stricter than postgresql.ssl_mode and is used',
    );
  }
  const poolConfig = buildPoolConfig(config, target);
  try {
    return { pool: await probe(ctx, poolConfig), clientConfig: poolConfig };
  } catch (err) {
    if (!(tlsIsOptional(target) && err instanceof Error && err.message.includes(NO_TLS_ON_SERVER))) {
      throw toConnectionError(err, target, config);
    }
  }
  ctx.logger.info(
    { server: describeTarget(target.connectionString), sslMode: target.sslMode },
    'PostgreSQL offers no TLS; connecting without (ssl_mode allows it)',
  );
  const plain = { ...poolConfig, ssl: false };
  try {
    return { pool: await probe(ctx, plain), clientConfig: plain };
  } catch (err) {
    throw toConnectionError(err, target, config);
  }
}
