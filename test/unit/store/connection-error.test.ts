import { describe, expect, it } from 'vitest';
import type { PostgresConfig } from '../../../src/config/types.js';
import { ConnectionError, ExitCode } from '../../../src/errors.js';
import { toConnectionError } from '../../../src/store/postgres/connection-error.js';
import { resolveConnectionTarget } from '../../../src/store/postgres/connection-target.js';

const config: PostgresConfig = {
  connectionString: 'postgres://atlas:Top%23Secret@db.example:5432/openehr_data',
  maxConnections: 10,
  connectionTimeoutSeconds: 30,
  statementTimeoutSeconds: 60,
  sslMode: 'require',
  schema: 'public',
};
const target = resolveConnectionTarget(config);
const convert = (err: unknown) => toConnectionError(err, target, config);

describe('toConnectionError', () => {
  it('is a ConnectionError (exit 4) naming the server without the password', () => {
    const e = convert(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(e).toBeInstanceOf(ConnectionError);
    expect(e.exitCode).toBe(ExitCode.connection);
    expect(e.message).toContain('atlas@db.example:5432/openehr_data');
    expect(e.message).toMatch(/connection refused/);
  });

  it('scrubs the password even if the driver echoes it', () => {
    const e = convert(new Error('weird failure for Top#Secret'));
    expect(e.message).not.toContain('Top#Secret');
    expect(e.message).toContain('***');
  });

  it('says what to fix per cause', () => {
    expect(
      convert(Object.assign(new Error('password authentication failed for user "atlas"'), { code: '28P01' }))
        .message,
    ).toMatch(/check the user and password/);
    expect(convert(Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })).message).toMatch(
      /ssl_root_cert/,
    );
    expect(convert(new Error('The server does not support SSL connections')).message).toMatch(
      /offers no TLS but ssl_mode = require/,
    );
    expect(convert(new Error('timeout expired')).message).toMatch(
      /within 30 s \(postgresql\.connection_timeout_seconds\)/,
    );
  });
});
