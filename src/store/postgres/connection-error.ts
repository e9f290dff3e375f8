import type { PostgresConfig } from '../../config/types.js';
import { ConnectionError } from '../../errors.js';
import { type ConnectionTarget, describeTarget, passwordOf } from './connection-target.js';

interface PgLikeError {
  code?: string;
  message?: string;
}

/** What to do about a failed connection, by cause; the generic hint comes last. */
function hintFor(err: PgLikeError, target: ConnectionTarget, config: PostgresConfig): string {
  const msg = err.message ?? '';
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused: is PostgreSQL running and listening on that host and port?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found: check the host in postgresql.connection_string';
    case '28P01':
    case '28000':
      return `${msg}: check the user and password in postgresql.connection_string (or ATLAS_POSTGRESQL_CONNECTION_STRING) and pg_hba.conf`;
    case '3D000':
      return `${msg}: create the database first (CREATE DATABASE) or fix the database name in the connection string`;
    case '53300':
      return `${msg}: the server has no free connection slots; lower postgresql.max_connections or raise the server's`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
      return `TLS certificate not trusted (${err.code}) with ssl_mode = ${target.sslMode}: set postgresql.ssl_root_cert to the CA file that signed the server certificate`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the server certificate does not name this host (ssl_mode = verify-full): connect by the name in the certificate, or use verify-ca`;
  }
  if (/does not support SSL/i.test(msg)) {
    return `the server offers no TLS but ssl_mode = ${target.sslMode} requires it${target.sslModeFromUrl ? ' (from sslmode= in the connection string)' : ''}: enable ssl on the server or use ssl_mode = prefer`;
  }
  if (/timeout/i.test(msg)) {
    return `no answer within ${config.connectionTimeoutSeconds} s (postgresql.connection_timeout_seconds): check host, port and firewalls`;
  }
  return `${msg || 'unknown error'}: check postgresql.connection_string, ssl_mode and that the server is reachable`;
}

/**
 * A connection failure as a ConnectionError (exit 4) that names the server without its password and says what
 * to check. Any echo of the password in the driver's own message is scrubbed as well.
 */
export function toConnectionError(
  err: unknown,
  target: ConnectionTarget,
  config: PostgresConfig,
): ConnectionError {
  const e = (err ?? {}) as PgLikeError;
  let text = `cannot connect to PostgreSQL at ${describeTarget(target.connectionString)}: ${hintFor(e, target, config)}`;
  const password = passwordOf(target.connectionString);
  if (password) text = text.replaceAll(password, '***');
  return new ConnectionError(text, { cause: err });
}
