import { containerNameCollisions } from './cosmos-container-names.js';
import { K } from './keys/index.js';
import type { Rules } from './rules.js';
import type { AtlasConfig, CosmosConfig, PostgresConfig } from './types.js';

const PG_KEYS = [
  K.connectionString,
  K.maxConnections,
  K.connectionTimeoutSeconds,
  K.statementTimeoutSeconds,
  K.sslMode,
  K.sslRootCert,
  K.schema,
];

const COSMOS_KEYS = [
  K.cosmosEndpoint,
  K.cosmosKey,
  K.cosmosDatabaseName,
  K.cosmosControlContainer,
  K.cosmosDataContainerPrefix,
  K.cosmosPartitionKey,
  K.cosmosMaxConcurrency,
  K.cosmosRequestTimeoutSeconds,
  K.cosmosTlsVerify,
  K.cosmosTlsCaCert,
];

function defaultTarget(rules: Rules): AtlasConfig['databaseTarget'] {
  const { r } = rules;
  if (r.isSet(K.connectionString)) return 'postgresql';
  return r.isSet(K.cosmosEndpoint) ? 'cosmosdb' : 'embedded';
}

/** database_target (explicit, or inferred from a connection string / a Cosmos endpoint) and its settings. */
export function resolveStorage(
  rules: Rules,
  environment: AtlasConfig['environment'],
  templateIds: string[],
): Pick<AtlasConfig, 'databaseTarget' | 'postgresql' | 'embedded' | 'cosmosdb'> {
  const { r } = rules;
  const connectionString = r.get(K.connectionString);
  const databaseTarget = r.get(K.databaseTarget) ?? defaultTarget(rules);
  let postgresql: PostgresConfig | undefined;
  if (databaseTarget === 'postgresql') {
    if (connectionString === undefined && !r.isSet(K.connectionString)) {
      rules.require(K.connectionString, 'when database_target = "postgresql"');
    }
    postgresql = {
      connectionString: connectionString ?? '',
      maxConnections: r.must(K.maxConnections),
      connectionTimeoutSeconds: r.must(K.connectionTimeoutSeconds),
      statementTimeoutSeconds: r.must(K.statementTimeoutSeconds),
      sslMode: r.must(K.sslMode),
      sslRootCert: r.get(K.sslRootCert),
      schema: r.must(K.schema),
    };
    rules.ineffective(K.embeddedPath, 'database_target = "postgresql"');
  } else {
    for (const key of PG_KEYS) rules.ineffective(key, `database_target = "${databaseTarget}"`);
  }
  let cosmosdb: CosmosConfig | undefined;
  if (databaseTarget === 'cosmosdb') {
    cosmosdb = resolveCosmos(rules, environment, templateIds);
    rules.ineffective(K.embeddedPath, 'database_target = "cosmosdb"');
  } else {
    for (const key of COSMOS_KEYS) rules.ineffective(key, `database_target = "${databaseTarget}"`);
  }
  return { databaseTarget, postgresql, cosmosdb, embedded: { path: r.must(K.embeddedPath) } };
}

function resolveCosmos(
  rules: Rules,
  environment: AtlasConfig['environment'],
  templateIds: string[],
): CosmosConfig {
  const { r } = rules;
  for (const key of [K.cosmosEndpoint, K.cosmosKey, K.cosmosDatabaseName]) {
    if (r.get(key) === undefined && !r.isSet(key)) rules.require(key, 'when database_target = "cosmosdb"');
  }
  const tlsVerify = r.must(K.cosmosTlsVerify);
  if (environment === 'production' && r.get(K.cosmosTlsVerify) === false) {
    rules.conflict(
      K.cosmosTlsVerify,
      'TLS verification cannot be disabled when environment = "production"',
      'true (trust a private CA with cosmosdb.tls_ca_cert)',
    );
  }
  const prefix = r.must(K.cosmosDataContainerPrefix);
  // Two templates in one container would mix their documents: refuse before anything is written.
  for (const collision of containerNameCollisions(prefix, templateIds)) {
    rules.conflict(
      K.cosmosDataContainerPrefix,
      `templates ${collision.templateIds.map((t) => JSON.stringify(t)).join(' and ')} would share the data ` +
        `container ${JSON.stringify(collision.container)} (template ids are sanitised into container names)`,
      'template ids that differ in more than punctuation and case; export the others with another prefix',
    );
  }
  return {
    endpoint: r.get(K.cosmosEndpoint) ?? '',
    key: r.get(K.cosmosKey) ?? '',
    databaseName: r.get(K.cosmosDatabaseName) ?? '',
    controlContainer: r.must(K.cosmosControlContainer),
    dataContainerPrefix: prefix,
    partitionKey: r.must(K.cosmosPartitionKey),
    maxConcurrency: r.must(K.cosmosMaxConcurrency),
    requestTimeoutSeconds: r.must(K.cosmosRequestTimeoutSeconds),
    tlsVerify,
    tlsCaCert: r.get(K.cosmosTlsCaCert),
  };
}
