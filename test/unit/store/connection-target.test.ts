import { describe, expect, it } from 'vitest';
import type { PostgresConfig } from '../../../src/config/types.js';
import { ConfigError } from '../../../src/errors.js';
import { describeTarget, resolveConnectionTarget } from '../../../src/store/postgres/connection-target.js';

function config(connectionString: string, overrides: Partial<PostgresConfig> = {}): PostgresConfig {
  return {
    connectionString,
    maxConnections: 10,
    connectionTimeoutSeconds: 30,
    statementTimeoutSeconds: 60,
    sslMode: 'prefer',
    schema: 'public',
    ...overrides,
  };
}

describe('resolveConnectionTarget', () => {
  it('strips every TLS parameter from the URL, keeping the others', () => {
    const t = resolveConnectionTarget(
      config(
        'postgres://u:p@db.example:5433/atlas?sslmode=disable&ssl=true&application_name=x&uselibpqcompat=true',
      ),
    );
    const url = new URL(t.connectionString);
    expect([...url.searchParams.keys()]).toEqual(['application_name']);
    expect(url.password).toBe('p');
  });

  it('the stricter of sslmode= in the URL and ssl_mode wins', () => {
    expect(resolveConnectionTarget(config('postgres://h/d?sslmode=require')).sslMode).toBe('require');
    expect(resolveConnectionTarget(config('postgres://h/d?sslmode=require')).sslModeFromUrl).toBe('require');
    expect(resolveConnectionTarget(config('postgres://h/d?sslmode=disable')).sslMode).toBe('prefer');
    const fromKey = resolveConnectionTarget(
      config('postgres://h/d?sslmode=require', { sslMode: 'verify-full' }),
    );
    expect(fromKey.sslMode).toBe('verify-full');
    expect(fromKey.sslModeFromUrl).toBeUndefined();
    expect(resolveConnectionTarget(config('postgres://h/d', { sslMode: 'disable' })).sslMode).toBe('disable');
  });

  it('takes sslrootcert/sslcert/sslkey from the URL when the config names no root certificate', () => {
    const t = resolveConnectionTarget(
      config('postgres://h/d?sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem'),
    );
    expect(t).toMatchObject({ sslRootCert: '/ca.pem', sslCert: '/c.pem', sslKey: '/k.pem' });
    expect(
      resolveConnectionTarget(config('postgres://h/d?sslrootcert=/url.pem', { sslRootCert: '/key.pem' }))
        .sslRootCert,
    ).toBe('/key.pem');
  });

  it('rejects an unknown sslmode and an unparseable URL as ConfigError without echoing the URL', () => {
    expect(() => resolveConnectionTarget(config('postgres://h/d?sslmode=sometimes'))).toThrow(ConfigError);
    let caught: unknown;
    try {
      resolveConnectionTarget(config('not a url with S3cret'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(String((caught as Error).message)).not.toContain('S3cret');
    expect((caught as Error).cause).toBeUndefined();
  });
});

describe('describeTarget', () => {
  it('names user, host, port and database, never the password', () => {
    expect(describeTarget('postgres://atlas:S3cret@db.example/openehr_data')).toBe(
      'atlas@db.example:5432/openehr_data',
    );
    expect(describeTarget('postgresql://db.example:6543/x')).toBe('db.example:6543/x');
  });
});
