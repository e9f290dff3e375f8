import { describe, expect, it } from 'vitest';
import { maskConnectionString, redactConfig } from '../../../src/config/index.js';
import { load } from './helpers.js';

describe('redactConfig', () => {
  it('masks every secret and leaves the rest intact', async () => {
    const env = {
      ATLAS_OPENEHR_BASE_URL: 'http://127.0.0.1:8080',
      ATLAS_OPENEHR_AUTH_TYPE: 'openid',
      ATLAS_OPENEHR_OIDC_GRANT: 'password',
      ATLAS_OPENEHR_USERNAME: 'alice',
      ATLAS_OPENEHR_PASSWORD: 'pw-secret',
      ATLAS_OPENEHR_OIDC_TOKEN_URL: 'http://127.0.0.1:9/token',
      ATLAS_OPENEHR_CLIENT_ID: 'atlas',
      ATLAS_OPENEHR_CLIENT_SECRET: 'client-secret',
      ATLAS_ANONYMIZATION_KEY: 'anonymization-key-secret',
      ATLAS_POSTGRESQL_CONNECTION_STRING: 'postgresql://atlas:db-secret@127.0.0.1:5432/atlas?sslmode=disable',
    };
    const { config } = await load(undefined, { env });
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    for (const secret of ['pw-secret', 'client-secret', 'anonymization-key-secret', 'db-secret']) {
      expect(text).not.toContain(secret);
    }
    expect(redacted.openehr.password).toBe('***');
    expect(redacted.openehr.clientSecret).toBe('***');
    expect(redacted.anonymization.key).toBe('***');
    expect(redacted.postgresql?.connectionString).toBe(
      'postgresql://atlas:***@127.0.0.1:5432/atlas?sslmode=disable',
    );
    expect(redacted.openehr.username).toBe('alice');
    expect(config.openehr.password).toBe('pw-secret');
  });

  it('masks passwords given as connection-string parameters and leaves password-less URLs alone', () => {
    expect(maskConnectionString('postgres://h/db?user=a&password=s3&sslmode=require')).toBe(
      'postgres://h/db?user=a&password=***&sslmode=require',
    );
    expect(maskConnectionString('postgresql://atlas@127.0.0.1/atlas')).toBe(
      'postgresql://atlas@127.0.0.1/atlas',
    );
  });
});
