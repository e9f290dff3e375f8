import { randomUUID } from 'node:crypto';
import type { BatchWrite, CompositionRow } from '../../../src/store/types.js';

/** A FLAT-looking content of a few hundred bytes, different per composition and version. */
export function flatContent(templateId: string, n: number, version: number): string {
  return JSON.stringify({
    'vital_signs/_uid': `v${version}`,
    'vital_signs/language|code': 'en',
    'vital_signs/context/start_time': `2024-01-01T10:00:${String(n % 60).padStart(2, '0')}Z`,
    'vital_signs/blood_pressure:0/any_event:0/systolic|magnitude': 100 + (n % 50) + version,
    'vital_signs/blood_pressure:0/any_event:0/systolic|unit': 'mm[Hg]',
    'vital_signs/blood_pressure:0/comment': `line1\nline2\ttab \\ backslash "quoted" ünïcödé ${templateId}`,
  });
}

/** A composition row; `version` changes uid, content and checksum as a new version in the CDR would. */
export function compositionRow(
  templateId: string,
  opts: { id?: string; ehrId?: string; version?: number; time?: string; n?: number } = {},
): CompositionRow {
  const id = opts.id ?? randomUUID();
  const version = opts.version ?? 1;
  const n = opts.n ?? 0;
  return {
    id,
    ehrId: opts.ehrId ?? randomUUID(),
    compositionUid: `${id}::test.atlas::${version}`,
    templateId,
    timeCommitted: opts.time ?? `2024-03-01T12:00:00.${String(100000 + n).slice(1)}Z`,
    contentJson: flatContent(templateId, n, version),
    exportMode: 'flatten',
    checksum: `sha256-${id}-${version}`,
  };
}

/** A batch with nothing but the given fields set. */
export function batch(runId: number, templateId: string, fields: Partial<BatchWrite> = {}): BatchWrite {
  return {
    runId,
    templateId,
    compositions: [],
    deletions: [],
    deletionPolicy: 'mark',
    failures: [],
    resolvedFailureIds: [],
    ...fields,
  };
}

let counter = 0;
/** A template id unique within the test file, so tests sharing one database do not see each other's rows. */
export function freshTemplate(prefix = 'T'): string {
  counter += 1;
  return `${prefix}.atlas_test_${counter}.v1`;
}
