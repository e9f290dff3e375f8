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
    if (!s || s.deleted) return { record };
    const newerStored = versionOfUid(s.compositionUid) > record.version;
    const sameStored = skipStoredVersions && s.compositionUid === record.uid;
    return newerStored || sameStored ? { record, outcome: { kind: 'skipped', record } } : { record };
  });
}
