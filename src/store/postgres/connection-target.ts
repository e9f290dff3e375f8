import type { PostgresConfig } from '../../config/types.js';
import { connectionUrlProblem } from '../../config/url-secrets.js';
import { ConfigError } from '../../errors.js';

export type SslMode = PostgresConfig['sslMode'];

/** libpq's modes from weakest to strictest. */
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** URL parameters that decide TLS; pg would let them override our `ssl` option, so they never reach pg. */
const TLS_URL_PARAMS = [
  'sslmode',
  'ssl',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'uselibpqcompat',
  'sslnegotiation',
];

/** Where and how to connect, with the TLS decision taken once, in one place. */
export interface ConnectionTarget {
  /** The connection string without any TLS parameter (still holds credentials: never log it). */
  connectionString: string;
  sslMode: SslMode;
  sslRootCert?: string;
  sslCert?: string;
  sslKey?: string;
  /** Set when the URL's `sslmode` was stricter than `ssl_mode` and therefore won. */
  sslModeFromUrl?: SslMode;
}

function isSslMode(value: string): value is SslMode {
  return (SSL_MODES as readonly string[]).includes(value);
}

/**
 * The rule for `sslmode=` inside the connection string versus the `ssl_mode` key: the STRICTER of the two
 * wins, so neither can silently weaken the other. (The original Atlas took TLS on/off from the URL and only
 * certificate checking from `ssl_mode`; its users' `?sslmode=require` URLs keep meaning what they meant.)
 * `sslrootcert`/`sslcert`/`sslkey` in the URL are used when the config gives no root certificate.
 */
export function resolveConnectionTarget(config: PostgresConfig): ConnectionTarget {
  // No cause on the error: Node's URL error carries the input, and the input holds the password.
  const problem = connectionUrlProblem(config.connectionString);
  if (problem) throw new ConfigError(`postgresql.connection_string: ${problem}`);
  const url = new URL(config.connectionString);
  const params = url.searchParams;
  const urlMode = params.get('sslmode') ?? undefined;
  if (urlMode !== undefined && !isSslMode(urlMode)) {
    throw new ConfigError(
      `sslmode=${urlMode} in postgresql.connection_string is not one of ${SSL_MODES.join(', ')}`,
    );
  }
  const fromUrl = {
    sslrootcert: params.get('sslrootcert') ?? undefined,
    sslcert: params.get('sslcert') ?? undefined,
    sslkey: params.get('sslkey') ?? undefined,
  };
  for (const p of TLS_URL_PARAMS) params.delete(p);

  const urlWins = urlMode !== undefined && SSL_MODES.indexOf(urlMode) > SSL_MODES.indexOf(config.sslMode);
  const target: ConnectionTarget = {
    connectionString: url.toString(),
    sslMode: urlWins ? (urlMode as SslMode) : config.sslMode,
  };
  const rootCert = config.sslRootCert ?? fromUrl.sslrootcert;
  if (rootCert !== undefined) target.sslRootCert = rootCert;
  if (fromUrl.sslcert !== undefined) target.sslCert = fromUrl.sslcert;
  if (fromUrl.sslkey !== undefined) target.sslKey = fromUrl.sslkey;
  if (urlWins) target.sslModeFromUrl = urlMode as SslMode;
  return target;
}

/** `user@host:port/database`: enough to tell which server is meant, nothing secret. */
export function describeTarget(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    const port = u.port || '5432';
    return `${user}${u.hostname || 'localhost'}:${port}${u.pathname || '/'}`;
  } catch {
    return '(unparseable connection string)';
  }
}

/** The password of the connection string, to scrub it from any text that might echo it. */
export function passwordOf(connectionString: string): string | undefined {
  try {
    const p = new URL(connectionString).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}
