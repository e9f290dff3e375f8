/**
 * The resolved configuration every module receives (after TOML, ${VAR} substitution, .env, ATLAS_* variables
 * and command-line flags, validated). Keys keep the original Rust Atlas's TOML names (snake_case in the
 * file, camelCase here); `docs/configuration.md` maps each one. Every key here has an effect.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface RetryPolicy {
  /** Retries after the first attempt (the original counted total attempts; see docs/migrating-from-rust.md). */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  backoffMultiplier: number;
}

export interface OpenEhrConfig {
  /** Full openEHR REST base, normalised to end in `/rest/openehr/v1`, no trailing slash. */
  baseUrl: string;
  vendor: 'ehrbase' | 'better';
  /** `basic` and `openid` come from the original; `none` and `bearer` are ours. */
  authType: 'none' | 'basic' | 'bearer' | 'openid';
  username?: string;
  password?: string;
  /** Static bearer token for auth_type = "bearer". */
  bearerToken?: string;
  oidcTokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** OIDC grant: `password` (username+password) or `client_credentials` (client_id+client_secret). */
  oidcGrant: 'password' | 'client_credentials';
  /** false only when both tls_verify and tls_verify_certificates allow it; forbidden in production. */
  tlsVerify: boolean;
  /** PEM file with extra CA certificates to trust. */
  tlsCaCert?: string;
  /** Deadline of one whole exchange (connect, headers, complete body). */
  timeoutSeconds: number;
  /** Largest composition body accepted, in MiB. */
  maxCompositionSizeMb: number;
  retry: RetryPolicy;
  query: {
    templateIds: string[];
    /** Empty = every EHR. Non-empty restricts discovery with an AQL condition, never a per-EHR loop. */
    ehrIds: string[];
    /** Inclusive lower bound on commit time (ISO-8601); `--since` overrides. */
    timeRangeStart?: string;
    /** Exclusive upper bound on commit time (ISO-8601); `--until` overrides. */
    timeRangeEnd?: string;
    /** AQL page size and write batch size (100..5000). */
    batchSize: number;
    /** Compositions fetched concurrently (1..100); the original's name is kept. */
    parallelEhrs: number;
    /** How composition content is read: one FLAT GET each, or whole compositions in the AQL pages. */
    fetch: FetchMode;
    /** aql fetch: one composition in this many is checked against the server's FLAT (0 = first only). */
    flatCheckInterval: number;
    /** Requests per second to the server over the run (the governor's token bucket); 0 = no limit. */
    maxRequestsPerSecond: number;
  };
}

export type ExportMode = 'full' | 'incremental';
/** What happens to the row of a composition gone from the source. */
export type DeletionPolicy = 'mark' | 'delete';
/** A second exporter on the same template: wait for the lock or fail at once. */
export type LockMode = 'wait' | 'fail';

export interface ExportConfig {
  mode: ExportMode;
  compositionFormat: 'preserve' | 'flatten';
  /** Retries of a failed batch write (database errors), with `retryBackoffMs` delays. */
  maxRetries: number;
  retryBackoffMs: number[];
  /** Time the batch in flight gets to commit or roll back after a shutdown signal. */
  shutdownTimeoutSecs: number;
  dryRun: boolean;
  /** Each incremental run re-scans this many seconds before the cursor (late-visible commits). */
  overlapSeconds: number;
  /** What a full run or `--reconcile` does with compositions gone from the source. */
  deletions: DeletionPolicy;
  /** Skip confirmation prompt (also --yes); never prompts when stdin is not a TTY anyway. */
  assumeYes: boolean;
  /** Second exporter on the same template: wait for the lock or fail at once. */
  lockMode: LockMode;
}

export interface PostgresConfig {
  connectionString: string;
  maxConnections: number;
  connectionTimeoutSeconds: number;
  statementTimeoutSeconds: number;
  sslMode: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** CA file for verify-ca / verify-full. */
  sslRootCert?: string;
  /** Schema holding Atlas's tables (default `public`). */
  schema: string;
}

export interface CosmosConfig {
  endpoint: string;
  key: string;
  databaseName: string;
  controlContainer: string;
  dataContainerPrefix: string;
  /** Partition key path of the data containers; its value is always the EHR id. */
  partitionKey: string;
  maxConcurrency: number;
  requestTimeoutSeconds: number;
  tlsVerify: boolean;
  tlsCaCert?: string;
}

export interface EmbeddedConfig {
  /** Directory of the embedded (PGlite) database. */
  path: string;
}

export interface AnonymizationConfig {
  enabled: boolean;
  mode: 'gdpr' | 'hipaa_safe_harbor';
  strategy: 'token' | 'redact' | 'generalize';
  dryRun: boolean;
  /** HMAC key (token strategy, date shifting, pseudonymised ehr_id, audit hashes). Required when enabled. */
  key?: string;
  /** Replace ehr_id (column and watermarks) by its keyed pseudonym. */
  pseudonymizeEhrId: boolean;
  /** Generalize dates by shifting them per EHR (interval-preserving) instead of truncating to the year. */
  dateShift: boolean;
  audit: { enabled: boolean; logPath: string; jsonFormat: boolean };
}

/** `atlas sync`: the long-running incremental export (see docs/operations.md). */
export interface SyncConfig {
  intervalSeconds: number;
  /** host:port of the HTTP endpoints. */
  listen: string;
  /** How soon PostgreSQL drops the template-lock session of an instance that lost its network. */
  leaseSeconds: number;
  maxBackoffSeconds: number;
  /** /readyz fails once this many cycles in a row failed. */
  readyFailedCycles: number;
}

export interface ViewsConfig {
  enabled: boolean;
  schema: string;
  materialized: boolean;
}

export interface AtlasConfig {
  environment: 'development' | 'staging' | 'production';
  /** `embedded` when no [postgresql] section and no explicit target. */
  databaseTarget: 'postgresql' | 'embedded' | 'cosmosdb';
  application: { logLevel: LogLevel; logFormat: 'pretty' | 'json' };
  openehr: OpenEhrConfig;
  export: ExportConfig;
  postgresql?: PostgresConfig;
  /** Set when databaseTarget is cosmosdb. */
  cosmosdb?: CosmosConfig;
  embedded: EmbeddedConfig;
  state: {
    /** false: the cursor is checkpointed only when a template finishes (data is still written per batch). */
    enableCheckpointing: boolean;
    /** A batch is cut and checkpointed at the latest after this many seconds, even if not full. */
    checkpointIntervalSeconds: number;
  };
  verification: { enableVerification: boolean; sample?: number };
  logging: {
    localEnabled: boolean;
    localPath: string;
    localRotation: 'daily' | 'size';
    localMaxSizeMb: number;
  };
  anonymization: AnonymizationConfig;
  sync: SyncConfig;
  views: ViewsConfig;
}

/** `openehr.query.fetch`. */
export type FetchMode = 'composition' | 'aql';
