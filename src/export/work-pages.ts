import type { ChangeRecord, DiscoveryMode } from '../openehr/types.js';
import type { FailureRecord, StoredVersion, TemplateCursor } from '../store/types.js';
import { chunks } from '../util/chunks.js';
import { AQL_PAGE_BYTES } from './aql-fetch.js';
import { type CompletedDiscovery, discoverTemplate } from './discovery.js';
import { locateFailure, recordOfFailure } from './failure-records.js';
import { mapAsync, prefetchOne } from './prefetch.js';
import { decideWork, UNREADABLE_TIME_REASON, type WorkItem } from './skip.js';
import type { TemplateDeps, TemplateJob } from './template-job.js';

/** One unit of work for the fetch pool, with what its batch needs to know. */
export interface PipelineItem extends WorkItem {
  mode: DiscoveryMode;
  /** Whether batches ending at this item may move the template cursor. */
  advance: boolean;
}

/**
 * The recorded failures as pages of work (never moving the cursor). With pseudonymised ehr ids each is
 * located again by discovery first (the GET needs the real EHR id); one not found any more was updated or
 * deleted since and is resolved without a GET.
 */
export async function* failurePages(
  deps: Pick<TemplateDeps, 'state' | 'client' | 'signal'>,
  job: Pick<TemplateJob, 'pageSize' | 'pseudonymizedEhrIds'>,
  pending: FailureRecord[],
): AsyncGenerator<PipelineItem[]> {
  for (const chunk of chunks(pending, job.pageSize)) {
    const stored = await deps.state.getStoredVersions(chunk.map((f) => f.id));
    const items: PipelineItem[] = [];
    for (const f of chunk) {
      if (f.reason.startsWith(UNREADABLE_TIME_REASON)) {
        // Only a listing with a readable time can resolve it (see unreadableTimeFailure): record it again.
        const record = { ...recordOfFailure(f), unreadableTime: '' };
        items.push({
          record,
          outcome: { kind: 'failed', record, reason: f.reason },
          mode: 'commit_time',
          advance: false,
        });
        continue;
      }
      const located = job.pseudonymizedEhrIds
        ? await locateFailure(deps.client, f, deps.signal)
        : recordOfFailure(f);
      const work: WorkItem = located
        ? (decideWork([located], stored, false)[0] ?? { record: located })
        : { record: recordOfFailure(f), outcome: { kind: 'skipped', record: recordOfFailure(f) } };
      items.push({ ...work, mode: 'commit_time', advance: false });
    }
    yield items;
  }
}

export interface DiscoveryPagesOptions {
  cursor: TemplateCursor | null;
  /** The discovery mode of each page, as it is read. */
  onMode: (mode: DiscoveryMode) => void;
  /** The scan, once it has read its last page. */
  onComplete: (scan: CompletedDiscovery) => void;
  /**
   * False when the template had no stored row when its export started (under its lock): the lookups are
   * skipped, since only this run can have stored a row since, always at an older version than a later page
   * lists, so a lookup could not skip anything.
   */
  storedBefore: boolean;
  /** Whether the pages should carry whole compositions (`fetch = "aql"`), asked per page. */
  withComposition?: () => boolean;
  /** Called with each page as it arrives, and which of its records will be fetched (`fetch = "aql"`). */
  onPage?: (records: ChangeRecord[], needed: (record: ChangeRecord) => boolean) => void;
}

/**
 * The template's discovery as pages of work: each page's stored versions are looked up in one query to
 * skip what needs no GET, and the next page is read while the current one is fetched.
 */
export function discoveryPages(
  deps: Pick<TemplateDeps, 'logger' | 'client' | 'state' | 'signal'>,
  job: TemplateJob,
  { cursor, onMode, onComplete, storedBefore, withComposition, onPage }: DiscoveryPagesOptions,
): AsyncIterable<PipelineItem[]> {
  const discovered = discoverTemplate(deps.logger, deps.client, {
    templateId: job.templateId,
    mode: job.mode,
    cursor,
    overlapSeconds: job.overlapSeconds,
    since: job.since,
    until: job.until,
    ehrIds: job.ehrIds,
    pageSize: job.pageSize,
    signal: deps.signal,
    onComplete,
    ...(withComposition ? { withComposition, pageBytes: AQL_PAGE_BYTES } : {}),
  });
  const prepared = mapAsync(discovered, async (page): Promise<PipelineItem[]> => {
    const stored = storedBefore
      ? await deps.state.getStoredVersions(
          page.records.map((r) => r.objectId),
          job.templateId,
        )
      : new Map<string, StoredVersion>();
    onMode(page.mode);
    const advance = page.window.advanceCursor;
    const work = decideWork(page.records, stored, page.window.skipStoredVersions);
    if (onPage) {
      const skipped = new Set(work.filter((w) => w.outcome).map((w) => w.record));
      onPage(page.records, (record) => !skipped.has(record));
    }
    return work.map((w) => ({ ...w, mode: page.mode, advance }));
  });
  return prefetchOne(prepared);
}
