import type { ChangeRecord, DiscoveryMode } from '../openehr/types.js';
import type { TemplateCursor } from '../store/types.js';
import { compareInstants } from '../util/instant.js';

/**
 * Discovery yields records ordered by (time, uid); the cursor is the last such pair a committed batch
 * covered. Ties in time are broken by the uid string, as the AQL `ORDER BY … , c/uid/value` does.
 */
export function compareCursorKeys(
  a: { time: string; uid: string },
  b: { time: string; uid: string },
): number {
  const byTime = compareInstants(a.time, b.time);
  if (byTime !== 0) return byTime;
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

export function cursorOf(templateId: string, record: ChangeRecord, mode: DiscoveryMode): TemplateCursor {
  return { templateId, time: record.time, uid: record.uid, mode };
}

/**
 * The cursor never moves backwards: a re-scan of the overlap window sees records before the stored
 * cursor, and a batch made only of those must leave the cursor where it was.
 */
export function laterCursor(current: TemplateCursor | null, candidate: TemplateCursor): TemplateCursor {
  if (!current || current.mode !== candidate.mode) return candidate;
  return compareCursorKeys(candidate, current) > 0 ? candidate : current;
}
