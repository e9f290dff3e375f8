import type { StoredVersion } from '../store/types.js';
import { addIssue, type TemplateVerification } from './types.js';

export interface LiveEntry {
  ehrId: string;
  uid: string;
}

/** A composition present on both sides at the same version: its content can be compared. */
export interface Matched {
  id: string;
  /** The source's EHR id (for the GET). */
  ehrId: string;
  uid: string;
}

/**
 * Compares one page of stored rows with the source's live set, removing what it matched from `live`
 * (what is left at the end is missing from the target). A stored row is:
 *  - extra: live in the target, not in the source;
 *  - missing: tombstoned in the target but live in the source;
 *  - stale: a different version than the source's latest, or stored under another (pseudonymised) ehr id;
 *  - matched otherwise (its content is then compared by the caller).
 */
export function comparePage(
  live: Map<string, LiveEntry>,
  stored: StoredVersion[],
  storedEhrId: (sourceEhrId: string) => string,
  issues: TemplateVerification['issues'],
  onMatched: (m: Matched) => void,
): { storedLive: number } {
  let storedLive = 0;
  for (const s of stored) {
    if (!s.deleted) storedLive++;
    const source = live.get(s.id);
    if (!source) {
      if (!s.deleted) addIssue(issues, 'extra', { id: s.id, storedUid: s.compositionUid });
      continue;
    }
    live.delete(s.id);
    if (s.deleted) {
      addIssue(issues, 'missing', {
        id: s.id,
        sourceUid: source.uid,
        storedUid: s.compositionUid,
        reason: 'marked deleted in the target',
      });
    } else if (s.compositionUid !== source.uid) {
      addIssue(issues, 'stale', { id: s.id, sourceUid: source.uid, storedUid: s.compositionUid });
    } else if (s.ehrId !== storedEhrId(source.ehrId)) {
      addIssue(issues, 'stale', {
        id: s.id,
        sourceUid: source.uid,
        storedUid: s.compositionUid,
        reason: 'stored under another ehr_id',
      });
    } else {
      onMatched({ id: s.id, ehrId: source.ehrId, uid: source.uid });
    }
  }
  return { storedLive };
}

/** Whatever the target did not have. */
export function reportMissing(live: Map<string, LiveEntry>, issues: TemplateVerification['issues']): void {
  for (const [id, entry] of live) addIssue(issues, 'missing', { id, sourceUid: entry.uid });
}
