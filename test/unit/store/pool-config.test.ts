import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { PostgresConfig } from '../../../src/config/types.js';
import { ConfigError } from '../../../src/errors.js';
import { resolveConnectionTarget } from '../../../src/store/postgres/connection-target.js';
import { buildPoolConfig } from '../../../src/store/postgres/pool.js';

const caDir = mkdtempSync(join(tmpdir(), 'atlas-ca-'));
const caFile = join(caDir, 'root.crt');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

function poolConfigFor(sslMode: PostgresConfig['sslMode'], extra: Partial<PostgresConfig> = {}) {
  const config: PostgresConfig = {
    connectionString: 'postgres://atlas:pw@db.example:5432/openehr_data?sslmode=disable',
    maxConnections: 7,
    connectionTimeoutSeconds: 12,
    statementTimeoutSeconds: 90,
    sslMode,
    schema: 'public',
    ...extra,
  };
  return buildPoolConfig(config, resolveConnectionTarget(config));
}

describe('buildPoolConfig', () => {
  it('sizes the pool and sets timeouts and the application name as connection options', () => {
    const c = poolConfigFor('disable');
    expect(c).toMatchObject({
      max: 7,
      connectionTimeoutMillis: 12_000,
      statement_timeout: 90_000,
      application_name: 'atlas',
      ssl: false,
    });
    expect(c.connectionString).not.toContain('sslmode');
  });

  it('allow, prefer and require: TLS without certificate verification', () => {
    for (const mode of ['allow', 'prefer', 'require'] as const) {
      expect(poolConfigFor(mode).ssl).toEqual({ rejectUnauthorized: false });
    }
  });

  it('verify-ca: chain checked against ssl_root_cert, host name not checked', () => {
    const ssl = poolConfigFor('verify-ca', { sslRootCert: caFile }).ssl as ConnectionOptions;
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca).toContain('BEGIN CERTIFICATE');
    expect(ssl.checkServerIdentity?.('some-other-host', {} as never)).toBeUndefined();
  });

  it('verify-full: chain and host name (Node default identity check); system CAs without ssl_root_cert', () => {
    const ssl = poolConfigFor('verify-full').ssl as ConnectionOptions;
    expect(ssl).toEqual({ rejectUnauthorized: true });
    const withCa = poolConfigFor('verify-full', { sslRootCert: caFile }).ssl as ConnectionOptions;
    expect(withCa.ca).toContain('BEGIN CERTIFICATE');
    expect(withCa.checkServerIdentity).toBeUndefined();
  });

  it('a missing root certificate file is a ConfigError naming the key and path', () => {
    expect(() => poolConfigFor('verify-full', { sslRootCert: join(caDir, 'missing.crt') })).toThrow(
      ConfigError,
    );
    expect(() => poolConfigFor('verify-full', { sslRootCert: join(caDir, 'missing.crt') })).toThrow(
      /postgresql\.ssl_root_cert.*missing\.crt/,
    );
  });
});
