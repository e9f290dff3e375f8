import { compositionKey, failureKey, lastPerKey } from '../batch-keys.js';

export { compositionKey, failureKey, lastPerKey };

import type { CompositionRow, FailureRecord } from '../types.js';
import type { WrittenRow } from './composition-upsert.js';

/** Column arrays for the watermark statement: one entry per composition or deletion of the batch. */
export interface WatermarkInput {
  templateIds: string[];
  ehrIds: string[];
  times: Array<string | null>;
  uids: Array<string | null>;
  deltas: number[];
}

/**
 * What each row of the batch contributes to its (template, ehr) watermark: every composition (also unchanged
 * ones) its commit time and uid; the count moves by +1 per newly inserted row and -1 per row removed under
 * `deletions = "delete"` (marked rows still exist and keep counting).
 */
export function watermarkInput(
  compositions: CompositionRow[],
  written: WrittenRow[],
  removed: Array<{ ehrId: string; templateId: string }>,
  marked: Array<{ ehrId: string; templateId: string }>,
): WatermarkInput {
  const inserted = new Set(written.filter((w) => w.inserted).map((w) => w.id));
  const input: WatermarkInput = { templateIds: [], ehrIds: [], times: [], uids: [], deltas: [] };
  const add = (templateId: string, ehrId: string, time: string | null, uid: string | null, delta: number) => {
    input.templateIds.push(templateId);
    input.ehrIds.push(ehrId);
    input.times.push(time);
    input.uids.push(uid);
    input.deltas.push(delta);
  };
  for (const c of compositions)
    add(c.templateId, c.ehrId, c.timeCommitted, c.compositionUid, inserted.has(c.id) ? 1 : 0);
  for (const r of removed) add(r.templateId, r.ehrId, null, null, -1);
  for (const m of marked) add(m.templateId, m.ehrId, null, null, 0);
  return input;
}
