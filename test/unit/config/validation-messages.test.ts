import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, type ConfigKey } from '../../../src/config/index.js';
import { load, loadError, MINIMAL } from './helpers.js';

/** A TOML value the key's type refuses. */
function invalidTomlValue(key: ConfigKey): string {
  switch (key.type.name) {
    case 'string list':
      return '[1, 2]';
    case 'string':
      if (key.key === 'postgresql.connection_string') return '"mysql://x"';
      // An empty prefix is valid (containers are named by the template alone).
      return key.key === 'cosmosdb.data_container_prefix' ? '"with space"' : '""';
    case 'path':
      return key.type.path === 'existing-file' ? '"no/such/file.pem"' : '""';
    default:
      return '"not-valid-%"';
  }
}

/** `openehr.query.batch_size` → a file that sets it (plus a base_url when the key is not in [openehr]). */
function tomlSetting(path: string, literal: string): string {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return `${path} = ${literal}\n${MINIMAL}`;
  const table = path.slice(0, dot);
  const line = `${path.slice(dot + 1)} = ${literal}\n`;
  if (path === 'openehr.base_url') return `[openehr]\n${line}`;
  return table === 'openehr' ? `${MINIMAL}${line}` : `${MINIMAL}[${table}]\n${line}`;
}

describe('every validation error names the key, the value and what is allowed', () => {
  it.each(CONFIG_KEYS.map((k) => [k.key, k] as const))('%s', async (_name, key) => {
    const literal = invalidTomlValue(key);
    const message = await loadError(tomlSetting(key.key, literal));
    expect(message).toContain(`${key.key} = `);
    expect(message).toContain('(in ');
    expect(message).toContain(`allowed: ${key.type.allowed}`);
    if (key.secret) expect(message).toContain(`${key.key} = "***"`);
    else expect(message).toContain(`${key.key} = ${JSON.stringify(JSON.parse(literal))}`);
  });

  it('masks secrets in every message, also when they come from variables', async () => {
    const message = await loadError(MINIMAL, {
      env: { ATLAS_POSTGRESQL_CONNECTION_STRING: 'mysql://user:hunter2@db', ATLAS_OPENEHR_PASSWORD: '' },
    });
    expect(message).toContain(
      'postgresql.connection_string = "***" (from ATLAS_POSTGRESQL_CONNECTION_STRING)',
    );
    expect(message).not.toContain('hunter2');
  });
});

describe('rules across keys', () => {
  it('basic auth needs username and password, naming the variables to set', async () => {
    const message = await loadError(`${MINIMAL}auth_type = "basic"\n`);
    expect(message).toContain('openehr.username: required when openehr.auth_type = "basic"');
    expect(message).toContain('ATLAS_OPENEHR_PASSWORD');
  });

  it('defaults auth_type to basic when a username is given, else none', async () => {
    expect((await load(MINIMAL)).config.openehr.authType).toBe('none');
    const { config } = await load(`${MINIMAL}username = "u"\npassword = "p"\n`);
    expect(config.openehr.authType).toBe('basic');
  });

  it('openid needs a token URL, a client id and the grant’s credentials', async () => {
    const message = await loadError(`${MINIMAL}auth_type = "openid"\n`);
    expect(message).toContain('openehr.oidc_token_url: required');
    expect(message).toContain('openehr.client_id: required');
    expect(message).toContain(
      'openehr.client_secret: required when openehr.auth_type = "openid" and openehr.oidc_grant = "client_credentials"',
    );
  });

  it('bearer needs a token; credentials an auth type does not use are reported as having no effect', async () => {
    expect(await loadError(`${MINIMAL}auth_type = "bearer"\n`)).toContain('openehr.bearer_token: required');
    const { warnings } = await load(`${MINIMAL}auth_type = "bearer"\nbearer_token = "t"\nusername = "u"\n`);
    expect(warnings.join('\n')).toContain('openehr.username (in ');
    expect(warnings.join('\n')).toContain('has no effect: openehr.auth_type = "bearer"');
  });

  it('production forbids disabling TLS verification under either name', async () => {
    const message = await loadError(
      `environment = "production"\n${MINIMAL}tls_verify_certificates = false\n`,
    );
    expect(message).toContain('openehr.tls_verify_certificates = false');
    expect(message).toContain('allowed: true');
    const dev = await load(`${MINIMAL}tls_verify_certificates = false\n`);
    expect(dev.config.openehr.tlsVerify).toBe(false);
  });

  it('max_delay_ms must not be below initial_delay_ms', async () => {
    const message = await loadError(
      `${MINIMAL}[openehr.retry]\ninitial_delay_ms = 5000\nmax_delay_ms = 100\n`,
    );
    expect(message).toContain('openehr.retry.max_delay_ms = 100');
    expect(message).toContain('allowed: an integer >= 5000');
  });

  it('the time range must end after it starts', async () => {
    const toml = `${MINIMAL}[openehr.query]\ntime_range_start = "2024-05-01T00:00:00Z"\ntime_range_end = "2024-01-01T00:00:00Z"\n`;
    const message = await loadError(toml);
    expect(message).toContain('openehr.query.time_range_end = "2024-01-01T00:00:00Z"');
    expect(message).toContain('allowed: an instant after 2024-05-01T00:00:00Z');
  });

  it('enabled anonymization without a key names ATLAS_ANONYMIZATION_KEY', async () => {
    const message = await loadError(`${MINIMAL}[anonymization]\nenabled = true\n`);
    expect(message).toContain('anonymization.key: required when anonymization is enabled');
    expect(message).toContain('ATLAS_ANONYMIZATION_KEY');
  });

  it.each([
    ['too short', 'Sh0rt-key-12', /is too short \(12 characters, at least 16 required\)/],
    ['too simple', 'abababababababababababab', /is too simple \(fewer than 8 different characters\)/],
  ])(
    'enabled anonymization refuses a key that is %s, as the anonymiser would',
    async (_name, key, problem) => {
      const fromEnv = await loadError(`${MINIMAL}[anonymization]\nenabled = true\n`, {
        env: { ATLAS_ANONYMIZATION_KEY: key },
      });
      expect(fromEnv).toContain('anonymization.key = "***" (from ATLAS_ANONYMIZATION_KEY)');
      expect(fromEnv).toMatch(problem);
      expect(fromEnv).not.toContain(key);
      const fromFile = await loadError(`${MINIMAL}[anonymization]\nenabled = true\nkey = "${key}"\n`);
      expect(fromFile).toContain('anonymization.key = "***" (in ');
      expect(fromFile).toContain('set anonymization.key or ATLAS_ANONYMIZATION_KEY');
      expect(fromFile).not.toContain(key);
      // Disabled, the same key only earns a warning: nothing uses it yet.
      const { warnings } = await load(`${MINIMAL}[anonymization]\nkey = "${key}"\n`);
      expect(warnings.join('\n')).toMatch(problem);
    },
  );

  it('postgresql needs a connection string; its keys have no effect on the embedded target', async () => {
    const message = await loadError(`database_target = "postgresql"\n${MINIMAL}`);
    expect(message).toContain('postgresql.connection_string: required when database_target = "postgresql"');
    const { warnings } = await load(
      `database_target = "embedded"\n${MINIMAL}[postgresql]\nmax_connections = 5\n`,
    );
    expect(warnings.join('\n')).toContain('postgresql.max_connections (in ');
  });

  it('a [table] key given a plain value is an error', async () => {
    expect(
      await loadError(`${MINIMAL}export = "full"\n`.replace('[openehr]\n', 'export = 1\n[openehr]\n')),
    ).toContain('export (in ');
  });
});
