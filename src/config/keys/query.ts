import { enumType, instantType, integerType, numberType, stringListType } from '../value-types.js';
import { defineKey } from './define.js';

/** [openehr.query]: what to export. */
export const QUERY_KEYS = {
  templateIds: defineKey({
    key: 'openehr.query.template_ids',
    type: stringListType(),
    default: [],
    defaultText: '[] (export needs at least one)',
    description: 'Templates to export. `--template-id` (repeatable or comma-separated) overrides it.',
    example: ['vital_signs.v1', 'lab_results.v1'],
    read: (c) => c.openehr.query.templateIds,
  }),
  ehrIds: defineKey({
    key: 'openehr.query.ehr_ids',
    type: stringListType(),
    default: [],
    defaultText: '[] (every EHR)',
    description: 'Restrict the export to these EHRs. `--ehr-id` overrides it.',
    example: ['7d44b88c-4199-4bad-97dc-d78268e01398'],
    read: (c) => c.openehr.query.ehrIds,
  }),
  timeRangeStart: defineKey({
    key: 'openehr.query.time_range_start',
    type: instantType(),
    description: 'Only compositions committed at or after this instant. `--since` overrides it.',
    example: '2024-01-01T00:00:00Z',
    read: (c) => c.openehr.query.timeRangeStart,
  }),
  timeRangeEnd: defineKey({
    key: 'openehr.query.time_range_end',
    type: instantType(),
    description:
      'Only compositions committed before this instant; must be after time_range_start. `--until` overrides it.',
    example: '2025-01-01',
    exampleResolved: '2025-01-01T00:00:00Z',
    read: (c) => c.openehr.query.timeRangeEnd,
  }),
  batchSize: defineKey({
    key: 'openehr.query.batch_size',
    type: integerType(100, 5000),
    default: 1000,
    description: 'AQL page size and the number of compositions written (and checkpointed) per transaction.',
    example: 500,
    read: (c) => c.openehr.query.batchSize,
  }),
  parallelEhrs: defineKey({
    key: 'openehr.query.parallel_ehrs',
    type: integerType(1, 100),
    default: 8,
    description: 'Compositions fetched concurrently from the server (the original’s name is kept).',
    example: 16,
    read: (c) => c.openehr.query.parallelEhrs,
  }),
  fetch: defineKey({
    key: 'openehr.query.fetch',
    type: enumType(['composition', 'aql']),
    default: 'composition',
    description:
      '`composition` GETs each composition in FLAT; `aql` reads whole compositions in the discovery pages ' +
      '(`SELECT c`) and converts them to FLAT locally with the server’s web template, checking a sample ' +
      'against the server’s FLAT (docs/export.md). `--fetch` overrides it.',
    example: 'aql',
    read: (c) => c.openehr.query.fetch,
  }),
  flatCheckInterval: defineKey({
    key: 'openehr.query.flat_check_interval',
    type: integerType(0, 1_000_000),
    default: 1000,
    description:
      'In `fetch = "aql"`: one composition in this many (and the first of each template) is also fetched ' +
      'as FLAT from the server and compared with the local conversion; a mismatch switches that template ' +
      'to `composition` for the rest of the run. 0 = only the first of each template.',
    example: 100,
    read: (c) => c.openehr.query.flatCheckInterval,
  }),
  maxRequestsPerSecond: defineKey({
    key: 'openehr.query.max_requests_per_second',
    type: numberType(0),
    default: 0,
    defaultText: '0 (no limit)',
    description:
      'Ceiling on requests per second to the openEHR server over the whole run (discovery, fetches, web ' +
      'templates, verify): a token bucket without burst. Concurrency adapts below `parallel_ehrs` on its own.',
    example: 50,
    read: (c) => c.openehr.query.maxRequestsPerSecond,
  }),
} as const;
