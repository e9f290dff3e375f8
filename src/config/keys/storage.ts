import {
  booleanType,
  connectionStringType,
  enumType,
  identifierType,
  integerType,
  pathType,
} from '../value-types.js';
import { defineKey } from './define.js';

const PG = { 'postgresql.connection_string': 'postgresql://atlas@127.0.0.1:5432/atlas' };

/** [postgresql], [embedded] and [views]. */
export const STORAGE_KEYS = {
  connectionString: defineKey({
    key: 'postgresql.connection_string',
    type: connectionStringType(),
    secret: true,
    description:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shows the ${VAR} placeholder syntax to users
      'PostgreSQL server, e.g. `postgresql://atlas_user:${ATLAS_PG_PASSWORD}@localhost:5432/openehr_data`. ' +
      'Setting it makes "postgresql" the default database_target.',
    example: 'postgresql://atlas:example-password@db.example.org:5432/openehr',
    read: (c) => c.postgresql?.connectionString,
  }),
  maxConnections: defineKey({
    key: 'postgresql.max_connections',
    type: integerType(1, 100),
    default: 10,
    description: 'Size of the connection pool.',
    example: 20,
    exampleRequires: PG,
    read: (c) => c.postgresql?.maxConnections,
  }),
  connectionTimeoutSeconds: defineKey({
    key: 'postgresql.connection_timeout_seconds',
    type: integerType(1),
    default: 30,
    description: 'Time allowed to open one connection.',
    example: 5,
    exampleRequires: PG,
    read: (c) => c.postgresql?.connectionTimeoutSeconds,
  }),
  statementTimeoutSeconds: defineKey({
    key: 'postgresql.statement_timeout_seconds',
    type: integerType(0),
    default: 60,
    description: 'statement_timeout of Atlas’s sessions (0 = no limit); set once per connection.',
    example: 120,
    exampleRequires: PG,
    read: (c) => c.postgresql?.statementTimeoutSeconds,
  }),
  sslMode: defineKey({
    key: 'postgresql.ssl_mode',
    type: enumType(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']),
    default: 'prefer',
    description:
      'TLS to the server, with libpq’s meanings: `verify-ca`/`verify-full` check the certificate ' +
      '(`verify-full` also the host name), `require` encrypts without checking.',
    example: 'verify-full',
    exampleRequires: PG,
    read: (c) => c.postgresql?.sslMode,
  }),
  sslRootCert: defineKey({
    key: 'postgresql.ssl_root_cert',
    type: pathType('existing-file'),
    description: 'CA certificate file (PEM) for verify-ca / verify-full.',
    example: 'package.json',
    exampleRequires: PG,
    read: (c) => c.postgresql?.sslRootCert,
  }),
  schema: defineKey({
    key: 'postgresql.schema',
    type: identifierType(),
    default: 'public',
    description: 'Schema that holds Atlas’s tables.',
    example: 'atlas',
    exampleRequires: PG,
    read: (c) => c.postgresql?.schema,
  }),
  embeddedPath: defineKey({
    key: 'embedded.path',
    type: pathType('any'),
    default: './.atlas/db',
    description: 'Directory of the embedded database (database_target = "embedded").',
    example: 'data/atlas-db',
    read: (c) => c.embedded.path,
  }),
  viewsEnabled: defineKey({
    key: 'views.enabled',
    type: booleanType(),
    default: false,
    description: 'Create one SQL view per exported template (columns from its FLAT paths) after each export.',
    example: true,
    read: (c) => c.views.enabled,
  }),
  viewsSchema: defineKey({
    key: 'views.schema',
    type: identifierType(),
    default: 'atlas_views',
    description: 'Schema that holds the per-template views.',
    example: 'analytics',
    read: (c) => c.views.schema,
  }),
  viewsMaterialized: defineKey({
    key: 'views.materialized',
    type: booleanType(),
    default: false,
    description: 'Create materialized views (refreshed after each export) instead of plain views.',
    example: true,
    read: (c) => c.views.materialized,
  }),
} as const;
