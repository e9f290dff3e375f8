import { describe, expect, it } from 'vitest';
import type { AtlasConfig } from '../../../src/config/index.js';
import { load, loadError, MINIMAL } from './helpers.js';

const PG = 'postgresql://atlas@127.0.0.1:5432/atlas';

/** Every variable the original implemented (reference §2.4), minus Cosmos DB and Azure, with its effect. */
const ORIGINAL_VARIABLES: [string, string, (c: AtlasConfig) => unknown, unknown][] = [
  ['ATLAS_ENVIRONMENT', 'Staging', (c) => c.environment, 'staging'],
  ['ATLAS_DATABASE_TARGET', 'PostgreSQL', (c) => c.databaseTarget, 'postgresql'],
  ['ATLAS_APPLICATION_LOG_LEVEL', 'debug', (c) => c.application.logLevel, 'debug'],
  ['ATLAS_APPLICATION_DRY_RUN', 'true', (c) => c.export.dryRun, true],
  [
    'ATLAS_OPENEHR_BASE_URL',
    'https://cdr.example.org/',
    (c) => c.openehr.baseUrl,
    'https://cdr.example.org/rest/openehr/v1',
  ],
  ['ATLAS_OPENEHR_USERNAME', 'atlas', (c) => c.openehr.username, 'atlas'],
  ['ATLAS_OPENEHR_PASSWORD', 'secret', (c) => c.openehr.password, 'secret'],
  ['ATLAS_OPENEHR_VENDOR', 'better', (c) => c.openehr.vendor, 'better'],
  ['ATLAS_OPENEHR_AUTH_TYPE', 'basic', (c) => c.openehr.authType, 'basic'],
  ['ATLAS_OPENEHR_TLS_VERIFY', 'false', (c) => c.openehr.tlsVerify, false],
  ['ATLAS_OPENEHR_TLS_VERIFY_CERTIFICATES', 'false', (c) => c.openehr.tlsVerify, false],
  ['ATLAS_OPENEHR_TLS_CA_CERT', 'ca.pem', (c) => c.openehr.tlsCaCert?.endsWith('ca.pem'), true],
  [
    'ATLAS_OPENEHR_OIDC_TOKEN_URL',
    'https://login.example.org/t',
    (c) => c.openehr.oidcTokenUrl,
    'https://login.example.org/t',
  ],
  ['ATLAS_OPENEHR_CLIENT_ID', 'atlas-client', (c) => c.openehr.clientId, 'atlas-client'],
  ['ATLAS_OPENEHR_TIMEOUT_SECONDS', '15', (c) => c.openehr.timeoutSeconds, 15],
  ['ATLAS_OPENEHR_RETRY_MAX_RETRIES', '7', (c) => c.openehr.retry.maxRetries, 7],
  ['ATLAS_OPENEHR_RETRY_INITIAL_DELAY_MS', '250', (c) => c.openehr.retry.initialDelayMs, 250],
  ['ATLAS_OPENEHR_RETRY_MAX_DELAY_MS', '9000', (c) => c.openehr.retry.maxDelayMs, 9000],
  ['ATLAS_OPENEHR_RETRY_BACKOFF_MULTIPLIER', '1.5', (c) => c.openehr.retry.backoffMultiplier, 1.5],
  [
    'ATLAS_OPENEHR_QUERY_TEMPLATE_IDS',
    '["a.v1","b.v1"]',
    (c) => c.openehr.query.templateIds,
    ['a.v1', 'b.v1'],
  ],
  ['ATLAS_OPENEHR_QUERY_EHR_IDS', 'e1, e2,', (c) => c.openehr.query.ehrIds, ['e1', 'e2']],
  [
    'ATLAS_OPENEHR_QUERY_TIME_RANGE_START',
    '2024-01-01T00:00:00Z',
    (c) => c.openehr.query.timeRangeStart,
    '2024-01-01T00:00:00Z',
  ],
  [
    'ATLAS_OPENEHR_QUERY_TIME_RANGE_END',
    '2024-06-01T00:00:00+02:00',
    (c) => c.openehr.query.timeRangeEnd,
    '2024-06-01T00:00:00+02:00',
  ],
  ['ATLAS_OPENEHR_QUERY_BATCH_SIZE', '250', (c) => c.openehr.query.batchSize, 250],
  ['ATLAS_OPENEHR_QUERY_PARALLEL_EHRS', '3', (c) => c.openehr.query.parallelEhrs, 3],
  ['ATLAS_EXPORT_MODE', 'FULL', (c) => c.export.mode, 'full'],
  ['ATLAS_EXPORT_COMPOSITION_FORMAT', 'flattened', (c) => c.export.compositionFormat, 'flatten'],
  ['ATLAS_EXPORT_MAX_RETRIES', '0', (c) => c.export.maxRetries, 0],
  ['ATLAS_EXPORT_RETRY_BACKOFF_MS', '100,200', (c) => c.export.retryBackoffMs, [100, 200]],
  ['ATLAS_EXPORT_SHUTDOWN_TIMEOUT_SECS', '5', (c) => c.export.shutdownTimeoutSecs, 5],
  ['ATLAS_EXPORT_DRY_RUN', 'yes', (c) => c.export.dryRun, true],
  ['ATLAS_POSTGRESQL_CONNECTION_STRING', PG, (c) => c.postgresql?.connectionString, PG],
  ['ATLAS_POSTGRESQL_MAX_CONNECTIONS', '4', (c) => c.postgresql?.maxConnections, 4],
  ['ATLAS_POSTGRESQL_CONNECTION_TIMEOUT_SECONDS', '3', (c) => c.postgresql?.connectionTimeoutSeconds, 3],
  ['ATLAS_POSTGRESQL_STATEMENT_TIMEOUT_SECONDS', '0', (c) => c.postgresql?.statementTimeoutSeconds, 0],
  ['ATLAS_POSTGRESQL_SSL_MODE', 'require', (c) => c.postgresql?.sslMode, 'require'],
  ['ATLAS_STATE_ENABLE_CHECKPOINTING', 'FALSE', (c) => c.state.enableCheckpointing, false],
  ['ATLAS_STATE_CHECKPOINT_INTERVAL_SECONDS', '12', (c) => c.state.checkpointIntervalSeconds, 12],
  ['ATLAS_VERIFICATION_ENABLE_VERIFICATION', '1', (c) => c.verification.enableVerification, true],
  ['ATLAS_LOGGING_LOCAL_ENABLED', 'true', (c) => c.logging.localEnabled, true],
  ['ATLAS_LOGGING_LOCAL_PATH', 'logs2', (c) => c.logging.localPath.endsWith('logs2'), true],
  ['ATLAS_LOGGING_LOCAL_ROTATION', 'size', (c) => c.logging.localRotation, 'size'],
  ['ATLAS_LOGGING_LOCAL_MAX_SIZE_MB', '7', (c) => c.logging.localMaxSizeMb, 7],
  ['ATLAS_LOG_LEVEL', 'WARN', (c) => c.application.logLevel, 'warn'],
  ['ATLAS_OPENEHR_VENDOR_TYPE', 'Better', (c) => c.openehr.vendor, 'better'],
];

/** Other variables a key needs to be meaningful (a password needs a user, pool size needs a server). */
const COMPANIONS: Record<string, Record<string, string>> = {
  ATLAS_OPENEHR_PASSWORD: { ATLAS_OPENEHR_USERNAME: 'u' },
  ATLAS_OPENEHR_USERNAME: { ATLAS_OPENEHR_PASSWORD: 'p' },
  ATLAS_OPENEHR_AUTH_TYPE: { ATLAS_OPENEHR_USERNAME: 'u', ATLAS_OPENEHR_PASSWORD: 'p' },
  ATLAS_DATABASE_TARGET: { ATLAS_POSTGRESQL_CONNECTION_STRING: PG },
  ATLAS_OPENEHR_OIDC_TOKEN_URL: {
    ATLAS_OPENEHR_AUTH_TYPE: 'openid',
    ATLAS_OPENEHR_CLIENT_ID: 'c',
    ATLAS_OPENEHR_CLIENT_SECRET: 's',
  },
  ATLAS_OPENEHR_CLIENT_ID: {
    ATLAS_OPENEHR_AUTH_TYPE: 'openid',
    ATLAS_OPENEHR_OIDC_TOKEN_URL: 'https://l/t',
    ATLAS_OPENEHR_CLIENT_SECRET: 's',
  },
  ATLAS_LOGGING_LOCAL_PATH: { ATLAS_LOGGING_LOCAL_ENABLED: 'true' },
  ATLAS_LOGGING_LOCAL_ROTATION: { ATLAS_LOGGING_LOCAL_ENABLED: 'true' },
  ATLAS_LOGGING_LOCAL_MAX_SIZE_MB: {
    ATLAS_LOGGING_LOCAL_ENABLED: 'true',
    ATLAS_LOGGING_LOCAL_ROTATION: 'size',
  },
};

describe('the original ATLAS_* variables', () => {
  it.each(ORIGINAL_VARIABLES)('%s=%s takes effect', async (name, value, read, expected) => {
    const needsPg = name.startsWith('ATLAS_POSTGRESQL_') && name !== 'ATLAS_POSTGRESQL_CONNECTION_STRING';
    const env = {
      ...COMPANIONS[name],
      ...(needsPg ? { ATLAS_POSTGRESQL_CONNECTION_STRING: PG } : {}),
      [name]: value,
    };
    const { config, warnings } = await load(MINIMAL, { env, files: { 'ca.pem': 'not checked here' } });
    expect(read(config)).toEqual(expected);
    expect(warnings.filter((w) => w.includes('has no effect'))).toEqual([]);
  });

  it('applies the new sections too: anonymization, audit, views, embedded', async () => {
    const env = {
      ATLAS_ANONYMIZATION_ENABLED: 'true',
      ATLAS_ANONYMIZATION_KEY: 'env-vars-test-key-0123456789',
      ATLAS_ANONYMIZATION_MODE: 'hipaa',
      ATLAS_ANONYMIZATION_STRATEGY: 'redact',
      ATLAS_ANONYMIZATION_AUDIT_JSON_FORMAT: 'no',
      ATLAS_VIEWS_ENABLED: 'true',
      ATLAS_VIEWS_SCHEMA: 'bi',
      ATLAS_EMBEDDED_PATH: '/var/lib/atlas',
    };
    const { config } = await load(MINIMAL, { env });
    expect(config.anonymization).toMatchObject({
      enabled: true,
      mode: 'hipaa_safe_harbor',
      strategy: 'redact',
    });
    expect(config.anonymization.audit.jsonFormat).toBe(false);
    expect(config.views).toEqual({ enabled: true, schema: 'bi', materialized: false });
    expect(config.embedded.path).toBe('/var/lib/atlas');
  });

  it('rejects an unparseable value naming the variable, the value and what is allowed', async () => {
    const message = await loadError(MINIMAL, { env: { ATLAS_OPENEHR_QUERY_BATCH_SIZE: 'lots' } });
    expect(message).toContain('openehr.query.batch_size = "lots" (from ATLAS_OPENEHR_QUERY_BATCH_SIZE)');
    expect(message).toContain('allowed: an integer from 100 to 5000');
    const bool = await loadError(MINIMAL, { env: { ATLAS_EXPORT_DRY_RUN: 'maybe' } });
    expect(bool).toContain('export.dry_run = "maybe" (from ATLAS_EXPORT_DRY_RUN)');
  });

  it('treats an empty variable as unset, except for lists where it clears the list', async () => {
    const toml = `${MINIMAL}[openehr.query]\ntemplate_ids = ["a"]\nbatch_size = 200\n`;
    const { config } = await load(toml, {
      env: { ATLAS_OPENEHR_QUERY_BATCH_SIZE: '', ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: '' },
    });
    expect(config.openehr.query.batchSize).toBe(200);
    expect(config.openehr.query.templateIds).toEqual([]);
  });

  it('requires ATLAS_OPENEHR_VENDOR and ATLAS_OPENEHR_VENDOR_TYPE to agree when both are set', async () => {
    const same = await load(MINIMAL, {
      env: { ATLAS_OPENEHR_VENDOR: 'better', ATLAS_OPENEHR_VENDOR_TYPE: 'BETTER' },
    });
    expect(same.config.openehr.vendor).toBe('better');
    const message = await loadError(MINIMAL, {
      env: { ATLAS_OPENEHR_VENDOR: 'better', ATLAS_OPENEHR_VENDOR_TYPE: 'ehrbase' },
    });
    expect(message).toContain('ATLAS_OPENEHR_VENDOR');
    expect(message).toContain('ATLAS_OPENEHR_VENDOR_TYPE');
    expect(message).toContain('keep one');
  });

  it('names the closest variable for a misspelt ATLAS_* variable', async () => {
    const message = await loadError(MINIMAL, { env: { ATLAS_OPENEHR_QUERY_BATCHSIZE: '500' } });
    expect(message).toContain(
      'ATLAS_OPENEHR_QUERY_BATCHSIZE: unknown Atlas variable; did you mean ATLAS_OPENEHR_QUERY_BATCH_SIZE?',
    );
  });

  it('reads ATLAS_COSMOSDB_* (Cosmos DB is a target); rejects Azure variables but accepts ATLAS_LOGGING_AZURE_ENABLED=false', async () => {
    const cosmos = await load(MINIMAL, {
      env: {
        ATLAS_DATABASE_TARGET: 'cosmosdb',
        ATLAS_COSMOSDB_ENDPOINT: 'https://acct.documents.azure.com:443/',
        ATLAS_COSMOSDB_KEY: 'a2V5',
        ATLAS_COSMOSDB_DATABASE_NAME: 'openehr',
        ATLAS_COSMOSDB_MAX_CONCURRENCY: '7',
      },
    });
    expect(cosmos.config.cosmosdb).toMatchObject({ key: 'a2V5', databaseName: 'openehr', maxConcurrency: 7 });
    expect(await loadError(MINIMAL, { env: { ATLAS_COSMOSDB_KEYS: 'k' } })).toContain(
      'did you mean ATLAS_COSMOSDB_KEY?',
    );
    const azure = await loadError(MINIMAL, { env: { ATLAS_LOGGING_AZURE_TENANT_ID: 't' } });
    expect(azure).toContain(
      'Azure Log Analytics is not supported by Atlas (TypeScript); remove ATLAS_LOGGING_AZURE_TENANT_ID',
    );
    await expect(load(MINIMAL, { env: { ATLAS_LOGGING_AZURE_ENABLED: 'false' } })).resolves.toBeDefined();
  });

  it('leaves variables outside the ATLAS_<SECTION>_ namespace alone', async () => {
    await expect(
      load(MINIMAL, { env: { ATLAS_COSMOS_KEY: 'x', ATLAS_DEBUG_STACK: '1', PATH: '/bin' } }),
    ).resolves.toBeDefined();
  });
});
