import { K } from './keys/index.js';
import type { Rules } from './rules.js';
import type { AtlasConfig, PostgresConfig } from './types.js';

const PG_KEYS = [
  K.connectionString,
  K.maxConnections,
  K.connectionTimeoutSeconds,
  K.statementTimeoutSeconds,
  K.sslMode,
  K.sslRootCert,
  K.schema,
];

/** database_target (explicit, or postgresql when a connection string is given) and its settings. */
export function resolveStorage(
  rules: Rules,
): Pick<AtlasConfig, 'databaseTarget' | 'postgresql' | 'embedded'> {
  const { r } = rules;
  const connectionString = r.get(K.connectionString);
  const databaseTarget = r.get(K.databaseTarget) ?? (r.isSet(K.connectionString) ? 'postgresql' : 'embedded');
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
    for (const key of PG_KEYS) rules.ineffective(key, 'database_target = "embedded"');
  }
  return { databaseTarget, postgresql, embedded: { path: r.must(K.embeddedPath) } };
}
