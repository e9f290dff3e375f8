import { booleanType, integerType, pathType, patternType, stringType } from '../value-types.js';
import { defineKey } from './define.js';

/** What a [cosmosdb] example needs to be meaningful: the target and the three required keys. */
const COSMOS = {
  database_target: 'cosmosdb',
  'cosmosdb.endpoint': 'https://atlas-example.documents.azure.com:443/',
  'cosmosdb.key': 'ZXhhbXBsZS1rZXk=',
  'cosmosdb.database_name': 'openehr',
};

/** A Cosmos DB resource id Atlas can use as a container name (a subset of what Cosmos accepts). */
const CONTAINER_NAME = 'letters, digits, _ and -, at most 200 characters';

/**
 * [cosmosdb]: the original Atlas's keys, with the same names and defaults (scripts outside the project set
 * them), plus tls_verify / tls_ca_cert as in [openehr]. Unlike the original every key has an effect.
 */
export const COSMOSDB_KEYS = {
  cosmosEndpoint: defineKey({
    key: 'cosmosdb.endpoint',
    // The original required https://: the SDK signs every request with the key.
    type: patternType(/^https:\/\/\S+$/, 'an https:// URL (the account endpoint)'),
    description:
      'Account endpoint, e.g. `https://myaccount.documents.azure.com:443/`. Setting it makes "cosmosdb" the ' +
      'default database_target when no PostgreSQL connection string is set.',
    example: 'https://atlas-example.documents.azure.com:443/',
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.endpoint,
  }),
  cosmosKey: defineKey({
    key: 'cosmosdb.key',
    type: stringType(),
    secret: true,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shows the ${VAR} placeholder syntax to users
    description: 'Account key (primary or secondary), e.g. `${ATLAS_COSMOSDB_KEY}`.',
    example: 'b3RoZXIta2V5',
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.key,
  }),
  cosmosDatabaseName: defineKey({
    key: 'cosmosdb.database_name',
    type: patternType(/^[A-Za-z0-9_-]{1,200}$/, CONTAINER_NAME),
    description: 'Database that holds Atlas’s containers; created when missing.',
    example: 'clinical',
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.databaseName,
  }),
  cosmosControlContainer: defineKey({
    key: 'cosmosdb.control_container',
    type: patternType(/^[A-Za-z0-9_-]{1,200}$/, CONTAINER_NAME),
    default: 'atlas_control',
    description:
      'Container (partition key /id) for cursors, watermarks, failure records, runs and template leases.',
    example: 'atlas_state',
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.controlContainer,
  }),
  cosmosDataContainerPrefix: defineKey({
    key: 'cosmosdb.data_container_prefix',
    type: patternType(/^[A-Za-z0-9_]{0,100}$/, 'letters, digits and _, at most 100 (may be empty)'),
    default: 'compositions',
    description:
      'Data containers are named `{prefix}_{sanitised template id}` (just the sanitised id when empty): ' +
      'lower-case, every character other than a letter, digit or _ becomes _, runs collapsed, ends trimmed.',
    example: 'atlas',
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.dataContainerPrefix,
  }),
  cosmosPartitionKey: defineKey({
    key: 'cosmosdb.partition_key',
    type: patternType(/^\/[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'a top-level property path such as "/ehr_id"'),
    default: '/ehr_id',
    description:
      'Partition key path of the data containers. Its value is always the EHR id: a path other than ' +
      '/ehr_id adds that property to each document (ehr_id stays too). An existing container partitioned ' +
      'otherwise is refused.',
    example: '/patient',
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.partitionKey,
  }),
  cosmosMaxConcurrency: defineKey({
    key: 'cosmosdb.max_concurrency',
    type: integerType(1, 100),
    default: 10,
    description:
      'Requests to Cosmos DB in flight at once (bulk chunks of up to 100 operations, queries); throttled ' +
      'requests (429) wait as x-ms-retry-after-ms says.',
    example: 4,
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.maxConcurrency,
  }),
  cosmosRequestTimeoutSeconds: defineKey({
    key: 'cosmosdb.request_timeout_seconds',
    type: integerType(1, 3600),
    default: 60,
    description: 'Timeout of one request to Cosmos DB (the SDK retries timed-out reads).',
    example: 20,
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.requestTimeoutSeconds,
  }),
  cosmosTlsVerify: defineKey({
    key: 'cosmosdb.tls_verify',
    type: booleanType(),
    default: true,
    description:
      'Verify the endpoint’s TLS certificate. false is refused when environment = "production" (local ' +
      'emulators with self-signed certificates: prefer tls_ca_cert).',
    example: false,
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.tlsVerify,
  }),
  cosmosTlsCaCert: defineKey({
    key: 'cosmosdb.tls_ca_cert',
    type: pathType('existing-file'),
    description: 'PEM file with additional CA certificates to trust (emulators, private CAs).',
    example: 'package.json',
    exampleRequires: COSMOS,
    read: (c) => c.cosmosdb?.tlsCaCert,
  }),
} as const;
