import { booleanType, enumType, integerType } from '../value-types.js';
import { defineKey } from './define.js';

/** Top-level keys and [application], [state], [verification]. */
export const GENERAL_KEYS = {
  databaseTarget: defineKey({
    key: 'database_target',
    aliases: ['export.database_target', 'application.database_target'],
    type: enumType(['postgresql', 'embedded', 'cosmosdb']),
    defaultText:
      '"postgresql" when a PostgreSQL connection string is set, else "cosmosdb" when cosmosdb.endpoint is set, else "embedded"',
    description:
      'Where compositions are written: a PostgreSQL server, the embedded database (no server needed), or ' +
      'Azure Cosmos DB (docs/cosmosdb.md). ' +
      'Belongs at the top of the file; also read from [export] or [application], where the original’s ' +
      'examples put it (with a warning).',
    example: 'embedded',
    exampleRequires: { 'postgresql.connection_string': 'postgresql://atlas@127.0.0.1:5432/atlas' },
    read: (c) => c.databaseTarget,
  }),
  environment: defineKey({
    key: 'environment',
    aliases: ['application.environment'],
    type: enumType(['development', 'staging', 'production']),
    default: 'development',
    description:
      '`production` forbids disabling TLS certificate verification. Top-level key; also read from ' +
      '[application], where the original’s examples put it (there it was silently ignored).',
    example: 'staging',
    read: (c) => c.environment,
  }),
  logLevel: defineKey({
    key: 'application.log_level',
    env: ['ATLAS_APPLICATION_LOG_LEVEL', 'ATLAS_LOG_LEVEL'],
    envOrdered: true,
    type: enumType(['trace', 'debug', 'info', 'warn', 'error']),
    default: 'info',
    description: 'Log level. `-l/--log-level` and ATLAS_LOG_LEVEL override it.',
    example: 'debug',
    read: (c) => c.application.logLevel,
  }),
  logFormat: defineKey({
    key: 'application.log_format',
    env: ['ATLAS_APPLICATION_LOG_FORMAT', 'ATLAS_LOG_FORMAT'],
    envOrdered: true,
    type: enumType(['pretty', 'json']),
    defaultText: '"pretty" when stderr is a terminal, else "json"',
    description:
      'Log lines on stderr: human-readable or one JSON object per line. `--log-format` overrides it.',
    example: 'pretty',
    read: (c) => c.application.logFormat,
  }),
  enableCheckpointing: defineKey({
    key: 'state.enable_checkpointing',
    type: booleanType(),
    default: true,
    description:
      'Advance the template cursor with every batch (crash-safe resume). false: the cursor moves only when a ' +
      'template finishes; data is still written per batch and re-exports after a crash are idempotent.',
    example: false,
    read: (c) => c.state.enableCheckpointing,
  }),
  checkpointIntervalSeconds: defineKey({
    key: 'state.checkpoint_interval_seconds',
    type: integerType(1),
    default: 30,
    description: 'A batch is cut and checkpointed after at most this many seconds, even when not full.',
    example: 5,
    read: (c) => c.state.checkpointIntervalSeconds,
  }),
  enableVerification: defineKey({
    key: 'verification.enable_verification',
    type: booleanType(),
    default: false,
    description: 'Run `verify` (source against target, SHA-256 checksums) after each export.',
    example: true,
    read: (c) => c.verification.enableVerification,
  }),
  verificationSample: defineKey({
    key: 'verification.sample',
    type: integerType(1),
    defaultText: '(none: every composition)',
    description: 'Verify a random sample of this many compositions per template instead of all of them.',
    example: 100,
    read: (c) => c.verification.sample,
  }),
} as const;
