import pino from 'pino';
import type { AtlasConfig, PostgresConfig } from '../../../src/config/types.js';
import type { AppContext } from '../../../src/context.js';

/** A PostgreSQL section for a test database URL, with the defaults of the original Atlas. */
export function postgresConfig(url: string, overrides: Partial<PostgresConfig> = {}): PostgresConfig {
  return {
    connectionString: url,
    maxConnections: 5,
    connectionTimeoutSeconds: 10,
    statementTimeoutSeconds: 60,
    sslMode: 'disable',
    schema: 'public',
    ...overrides,
  };
}

/** A complete, valid configuration for store tests (values irrelevant to the store are plain defaults). */
export function storeConfig(target: { postgresql?: PostgresConfig; embeddedPath?: string }): AtlasConfig {
  return {
    environment: 'development',
    databaseTarget: target.postgresql ? 'postgresql' : 'embedded',
    application: { logLevel: 'warn', logFormat: 'json' },
    openehr: {
      baseUrl: 'http://127.0.0.1:1/rest/openehr/v1',
      vendor: 'ehrbase',
      authType: 'none',
      oidcGrant: 'password',
      tlsVerify: true,
      timeoutSeconds: 30,
      maxCompositionSizeMb: 64,
      retry: { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 1000, backoffMultiplier: 2 },
      query: {
        templateIds: [],
        ehrIds: [],
        batchSize: 1000,
        parallelEhrs: 8,
        maxRequestsPerSecond: 0,
        fetch: 'composition',
        flatCheckInterval: 1000,
      },
    },
    export: {
      mode: 'incremental',
      compositionFormat: 'flatten',
      maxRetries: 3,
      retryBackoffMs: [100],
      shutdownTimeoutSecs: 30,
      dryRun: false,
      overlapSeconds: 0,
      deletions: 'mark',
      assumeYes: true,
      lockMode: 'fail',
    },
    ...(target.postgresql ? { postgresql: target.postgresql } : {}),
    embedded: { path: target.embeddedPath ?? '.atlas/db' },
    state: { enableCheckpointing: true, checkpointIntervalSeconds: 30 },
    verification: { enableVerification: false },
    logging: { localEnabled: false, localPath: '/tmp', localRotation: 'daily', localMaxSizeMb: 10 },
    anonymization: {
      enabled: false,
      mode: 'gdpr',
      strategy: 'token',
      dryRun: false,
      pseudonymizeEhrId: false,
      dateShift: false,
      audit: { enabled: false, logPath: '/tmp', jsonFormat: true },
    },
    views: { enabled: false, schema: 'atlas_views', materialized: false },
    sync: {
      intervalSeconds: 60,
      listen: '127.0.0.1:9477',
      leaseSeconds: 30,
      maxBackoffSeconds: 600,
      readyFailedCycles: 3,
    },
  };
}

export function storeContext(
  config: AtlasConfig,
  signal: AbortSignal = new AbortController().signal,
): AppContext {
  return { config, logger: pino({ level: 'silent' }), signal };
}
