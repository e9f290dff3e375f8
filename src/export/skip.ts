import type { ChangeRecord } from '../openehr/types.js';
import type { StoredVersion } from '../store/types.js';
import type { ItemOutcome } from './types.js';

/** `uuid::system::n` → n (0 when the uid carries no version). */
export function versionOfUid(uid: string): number {
  const parts = uid.split('::');
  const n = Number(parts[2]);
  return parts.length >= 3 && Number.isInteger(n) ? n : 0;
}

export interface WorkItem {
  record: ChangeRecord;
  /** Known without a GET (already stored at this or a later version, or known to be gone). */
  outcome?: ItemOutcome;
}

/**
 * Which listed versions need a GET. Incremental runs skip a version whose uid is already stored (and not
 * marked deleted) — the overlap window re-lists many of those — and no run ever fetches an older version
 * than the stored one. Full runs fetch everything else, because the format or the anonymisation may have
 * changed since the rows were written.
 */
export function decideWork(
  records: ChangeRecord[],
  stored: Map<string, StoredVersion>,
  skipStoredVersions: boolean,
): WorkItem[] {
  return records.map((record) => {
    const s = stored.get(record.objectId);
    const live = s !== undefined && !s.deleted;
    const newerStored = live && versionOfUid(s.compositionUid) > record.version;
    const sameStored = live && skipStoredVersions && s.compositionUid === record.uid;
    if (newerStored || sameStored) return { record, outcome: { kind: 'skipped', record } };
    if (record.unreadableTime !== undefined) return { record, outcome: unreadableTimeFailure(record) };
    return { record };
  });
}

/** Marks a failure reason as "listed with an unreadable time": see unreadableTimeFailure. */
export const UNREADABLE_TIME_REASON = 'discovery: the server listed this version with the time';

/**
 * A version listed with a time nobody can read is not fetched: its row would need a commit time, and the
 * stored time decides incremental discovery and `--since`. It stays a failure (retried by every run, shown
 * by `atlas status`) until the server lists it with a readable time, which resolves it like any failure.
 */
export function unreadableTimeFailure(record: ChangeRecord): ItemOutcome {
  const shown = JSON.stringify((record.unreadableTime ?? '').slice(0, 64));
  return {
    kind: 'failed',
    record,
    reason: `${UNREADABLE_TIME_REASON} ${shown}, which is not an ISO-8601 instant; fix the server's record or report it to its vendor`,
  };
}
