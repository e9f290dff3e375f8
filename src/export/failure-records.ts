import type { ChangeRecord, OpenEhrClient } from '../openehr/types.js';
import type { FailureRecord } from '../store/types.js';
import { formatInstant, instantNs } from '../util/instant.js';
import { versionOfUid } from './skip.js';

/** A recorded failure as the change record that produced it (the ehr id as stored). */
export function recordOfFailure(f: FailureRecord): ChangeRecord {
  return {
    ehrId: f.ehrId,
    uid: f.compositionUid,
    objectId: f.id,
    version: versionOfUid(f.compositionUid),
    templateId: f.templateId,
    time: f.timeCommitted,
  };
}

/**
 * With pseudonymised ehr ids the failure record holds only the pseudonym, but the GET needs the real EHR
 * id. The composition is looked up again by discovery in a 1 ms window at its recorded time (one small
 * AQL per failure; failures are rare). Not found: it was updated since (discovery will meet the new
 * version) or deleted (a full run or --reconcile marks it) — either way this record no longer applies.
 */
export async function locateFailure(
  client: OpenEhrClient,
  f: FailureRecord,
  signal: AbortSignal,
): Promise<ChangeRecord | null> {
  const since = f.timeCommitted;
  const until = formatInstant(instantNs(since) + 1_000_000n);
  for await (const page of client.discoverChanges({
    templateId: f.templateId,
    since,
    until,
    pageSize: 100,
    signal,
  })) {
    const hit = page.find((r) => r.objectId === f.id);
    if (hit) return hit;
  }
  return null;
}
