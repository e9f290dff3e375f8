import { booleanType, enumType, integerListType, integerType } from '../value-types.js';
import { defineKey } from './define.js';

/** [export]. */
export const EXPORT_KEYS = {
  mode: defineKey({
    key: 'export.mode',
    type: enumType(['full', 'incremental']),
    default: 'incremental',
    description:
      '`incremental` exports what was committed since the last run (per-template cursor); `full` re-reads ' +
      'everything and reconciles deletions. `--mode` overrides it.',
    example: 'full',
    read: (c) => c.export.mode,
  }),
  compositionFormat: defineKey({
    key: 'export.export_composition_format',
    env: ['ATLAS_EXPORT_COMPOSITION_FORMAT', 'ATLAS_EXPORT_EXPORT_COMPOSITION_FORMAT'],
    type: enumType(['preserve', 'flatten'], { preserved: 'preserve', flattened: 'flatten' }),
    default: 'preserve',
    description:
      '`preserve` stores the FLAT JSON as the server returned it; `flatten` stores path → value columns. ' +
      '`preserved`/`flattened` are accepted too. `--format` overrides it.',
    example: 'flatten',
    read: (c) => c.export.compositionFormat,
  }),
  maxRetries: defineKey({
    key: 'export.max_retries',
    type: integerType(0, 10),
    default: 3,
    description: 'Retries of a batch whose database write failed (after the first attempt).',
    example: 5,
    read: (c) => c.export.maxRetries,
  }),
  retryBackoffMs: defineKey({
    key: 'export.retry_backoff_ms',
    type: integerListType(0, 600_000),
    default: [1000, 2000, 4000],
    description:
      'Delay before each batch-write retry, in milliseconds; retries beyond the list reuse its last entry.',
    example: [500, 1500],
    read: (c) => c.export.retryBackoffMs,
  }),
  shutdownTimeoutSecs: defineKey({
    key: 'export.shutdown_timeout_secs',
    type: integerType(1),
    default: 30,
    description:
      'After SIGINT/SIGTERM the batch in flight gets this long to commit; then it is rolled back and Atlas exits.',
    example: 10,
    read: (c) => c.export.shutdownTimeoutSecs,
  }),
  dryRun: defineKey({
    key: 'export.dry_run',
    aliases: ['application.dry_run'],
    env: ['ATLAS_EXPORT_DRY_RUN', 'ATLAS_APPLICATION_DRY_RUN'],
    type: booleanType(),
    default: false,
    description:
      'Read and transform everything, write nothing (no DDL either). `application.dry_run` means the same. ' +
      '`--dry-run` overrides it.',
    example: true,
    read: (c) => c.export.dryRun,
  }),
  overlapSeconds: defineKey({
    key: 'export.overlap_seconds',
    type: integerType(0, 86_400),
    default: 300,
    description:
      'Each incremental run re-reads this many seconds before its cursor, for commits that became visible late.',
    example: 60,
    read: (c) => c.export.overlapSeconds,
  }),
  deletions: defineKey({
    key: 'export.deletions',
    type: enumType(['mark', 'delete']),
    default: 'mark',
    description:
      'What a full run does with rows whose composition is gone from the source: mark them or delete them.',
    example: 'delete',
    read: (c) => c.export.deletions,
  }),
  lock: defineKey({
    key: 'export.lock',
    type: enumType(['wait', 'fail']),
    default: 'fail',
    description: 'When another export holds a template: wait for it, or fail at once. `--lock` overrides it.',
    example: 'wait',
    read: (c) => c.export.lockMode,
  }),
  assumeYes: defineKey({
    key: 'export.assume_yes',
    type: booleanType(),
    default: false,
    description:
      'Skip the confirmation prompt (like `--yes`). Atlas never prompts when stdin is not a terminal anyway.',
    example: true,
    read: (c) => c.export.assumeYes,
  }),
} as const;
