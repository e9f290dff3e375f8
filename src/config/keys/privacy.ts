import { booleanType, enumType, integerType, pathType, stringType } from '../value-types.js';
import { defineKey } from './define.js';

const KEY = { 'anonymization.key': 'an-example-key-of-32-characters!' };

/** [anonymization], [anonymization.audit] and [logging]. */
export const PRIVACY_KEYS = {
  anonymizationEnabled: defineKey({
    key: 'anonymization.enabled',
    type: booleanType(),
    default: false,
    description: 'Anonymize compositions before they are written. Needs `key`. `--anonymize` turns it on.',
    example: true,
    exampleRequires: KEY,
    read: (c) => c.anonymization.enabled,
  }),
  anonymizationMode: defineKey({
    key: 'anonymization.mode',
    type: enumType(['gdpr', 'hipaa_safe_harbor'], { hipaa: 'hipaa_safe_harbor' }),
    default: 'gdpr',
    description: 'Which identifiers are removed: GDPR or HIPAA Safe Harbor (`hipaa` is accepted too).',
    example: 'hipaa_safe_harbor',
    read: (c) => c.anonymization.mode,
  }),
  anonymizationStrategy: defineKey({
    key: 'anonymization.strategy',
    type: enumType(['token', 'redact', 'generalize']),
    default: 'token',
    description:
      '`token`: keyed, consistent pseudonyms; `redact`: a category label; `generalize`: coarser values ' +
      '(dates to the year, or shifted per EHR with date_shift).',
    example: 'redact',
    read: (c) => c.anonymization.strategy,
  }),
  anonymizationDryRun: defineKey({
    key: 'anonymization.dry_run',
    type: booleanType(),
    default: false,
    description:
      'Report what would be anonymized and write nothing (implies export dry run, so no un-anonymized data ' +
      'is ever written). `--anonymize-dry-run` turns it on.',
    example: true,
    read: (c) => c.anonymization.dryRun,
  }),
  anonymizationKey: defineKey({
    key: 'anonymization.key',
    type: stringType(),
    secret: true,
    description:
      'Secret HMAC key for tokens, pseudonyms, date shifts and audit hashes: at least 16 characters, 8 or ' +
      'more of them different (e.g. `openssl rand -base64 32`); a weaker key is an error while anonymization ' +
      'is enabled. Prefer ATLAS_ANONYMIZATION_KEY.',
    example: 'an-example-key-of-32-characters!',
    read: (c) => c.anonymization.key,
  }),
  pseudonymizeEhrId: defineKey({
    key: 'anonymization.pseudonymize_ehr_id',
    type: booleanType(),
    default: false,
    description: 'Store a keyed pseudonym instead of the real ehr_id (rows and watermarks).',
    example: true,
    read: (c) => c.anonymization.pseudonymizeEhrId,
  }),
  dateShift: defineKey({
    key: 'anonymization.date_shift',
    type: booleanType(),
    default: false,
    description: 'Generalize dates by a keyed per-EHR shift (keeps intervals) instead of truncating them.',
    example: true,
    read: (c) => c.anonymization.dateShift,
  }),
  auditEnabled: defineKey({
    key: 'anonymization.audit.enabled',
    type: booleanType(),
    default: true,
    description:
      'Write one audit line per finding: composition uid, template, path, category, strategy, detector and ' +
      'the keyed hash of the value (never the value itself). Not written by an anonymization dry run.',
    example: false,
    read: (c) => c.anonymization.audit.enabled,
  }),
  auditLogPath: defineKey({
    key: 'anonymization.audit.log_path',
    type: pathType('any'),
    default: './audit/anonymization.log',
    description:
      'Audit log file, appended to. The file (mode 0600) and its directory are created when the log is ' +
      'opened, at the start of an anonymizing export.',
    example: 'logs/anon-audit.log',
    read: (c) => c.anonymization.audit.logPath,
  }),
  auditJsonFormat: defineKey({
    key: 'anonymization.audit.json_format',
    type: booleanType(),
    default: true,
    description:
      'One JSON object per line (true) or plain `ts | uid | template | path | category | strategy | ' +
      'detector | value_hash` lines.',
    example: false,
    read: (c) => c.anonymization.audit.jsonFormat,
  }),
  localEnabled: defineKey({
    key: 'logging.local_enabled',
    type: booleanType(),
    default: false,
    description:
      'Also write JSON log lines to files in local_path (the original defaulted to true but never wrote them).',
    example: true,
    read: (c) => c.logging.localEnabled,
  }),
  localPath: defineKey({
    key: 'logging.local_path',
    type: pathType('any'),
    default: './logs',
    description: 'Directory of the log files (the original’s default was /var/log/atlas).',
    example: 'var/atlas-logs',
    read: (c) => c.logging.localPath,
  }),
  localRotation: defineKey({
    key: 'logging.local_rotation',
    type: enumType(['daily', 'size']),
    default: 'daily',
    description:
      '`daily`: one file per UTC day (atlas.log.YYYY-MM-DD); `size`: roll atlas.log at local_max_size_mb.',
    example: 'size',
    read: (c) => c.logging.localRotation,
  }),
  localMaxSizeMb: defineKey({
    key: 'logging.local_max_size_mb',
    type: integerType(1),
    default: 100,
    description: 'Size at which atlas.log is rolled over (local_rotation = "size").',
    example: 5,
    read: (c) => c.logging.localMaxSizeMb,
  }),
} as const;
