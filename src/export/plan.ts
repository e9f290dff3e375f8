import type { ExportMode } from '../config/types.js';
import type { TemplateCursor } from '../store/types.js';
import { compareInstants, laterInstant, minusSeconds } from './instant.js';

export interface WindowInput {
  mode: ExportMode;
  cursor: TemplateCursor | null;
  overlapSeconds: number;
  /** Configured lower bound (time_range_start or --since), inclusive. */
  since?: string;
  /** Configured upper bound (time_range_end or --until), exclusive. */
  until?: string;
  /** --ehr-id / openehr.query.ehr_ids: discovery restricted to these EHRs. */
  ehrIds: string[];
}

export interface DiscoveryWindow {
  since?: string;
  until?: string;
  /**
   * Whether this scan may move the template cursor. It may only when everything up to the new cursor is
   * covered by this scan or an earlier one: not with an EHR filter (the cursor is per template, other EHRs
   * were not looked at), and not when the scan starts after the stored cursor (that would jump a gap).
   */
  advanceCursor: boolean;
  /** Incremental runs skip, without fetching, versions whose uid is already stored. */
  skipStoredVersions: boolean;
}

/**
 * Where one template's discovery starts and ends.
 * Incremental: from (cursor − overlap), or from the configured start when that is later; with no cursor,
 * from the configured start or the beginning (the first incremental run exports everything).
 * Full: from the configured start or the beginning, fetching everything (format or anonymisation may
 * have changed, so stored uids prove nothing).
 */
export function planWindow(input: WindowInput): DiscoveryWindow {
  const { mode, cursor } = input;
  const resumeFrom =
    mode === 'incremental' && cursor ? minusSeconds(cursor.time, input.overlapSeconds) : undefined;
  const since = laterInstant(input.since, resumeFrom);
  const gap = cursor !== null && since !== undefined && compareInstants(since, cursor.time) > 0;
  return {
    since,
    until: input.until,
    advanceCursor: input.ehrIds.length === 0 && !gap,
    skipStoredVersions: mode === 'incremental',
  };
}
