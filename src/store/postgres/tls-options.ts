import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, coerceError } from '../../errors.js';
import type { ConnectionTarget } from './connection-target.js';

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${key} file ${path}: ${coerceError(err).message}`, { cause: err });
  }
}

/**
 * node-postgres `ssl` option for a libpq ssl mode:
 *  - disable: no TLS;
 *  - allow / prefer / require: TLS without certificate verification (libpq's semantics: encryption against
 *    passive eavesdropping only). allow and prefer fall back to plain when the server offers no TLS
 *    (see pool.ts); allow therefore behaves like prefer (TLS first), which is never weaker;
 *  - verify-ca: the chain must lead to ssl_root_cert (system CAs if none), the host name is not checked;
 *  - verify-full: chain and host name; ssl_root_cert optional (system CAs otherwise).
 */
export function tlsOptions(target: ConnectionTarget): false | ConnectionOptions {
  if (target.sslMode === 'disable') return false;
  const opts: ConnectionOptions = {};
  if (target.sslCert) opts.cert = readPem(target.sslCert, 'sslcert');
  if (target.sslKey) opts.key = readPem(target.sslKey, 'sslkey');
  switch (target.sslMode) {
    case 'allow':
    case 'prefer':
    case 'require':
      opts.rejectUnauthorized = false;
      return opts;
    case 'verify-ca':
      opts.rejectUnauthorized = true;
      if (target.sslRootCert) opts.ca = readPem(target.sslRootCert, 'postgresql.ssl_root_cert');
      // Chain only: accept any host name the certificate names (libpq verify-ca).
      opts.checkServerIdentity = () => undefined;
      return opts;
    case 'verify-full':
      opts.rejectUnauthorized = true;
      if (target.sslRootCert) opts.ca = readPem(target.sslRootCert, 'postgresql.ssl_root_cert');
      return opts;
  }
}

/** Modes in which a server without TLS is acceptable (plain connection after the TLS attempt fails). */
export function tlsIsOptional(target: ConnectionTarget): boolean {
  return target.sslMode === 'allow' || target.sslMode === 'prefer';
}
