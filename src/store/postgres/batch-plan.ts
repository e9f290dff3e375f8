import type { CompositionRow, FailureRecord } from '../types.js';
import type { WrittenRow } from './composition-upsert.js';

/**
 * Keeps the last row per id. One statement cannot upsert the same key twice ("ON CONFLICT DO UPDATE command
 * cannot affect row a second time"), and the later row in a batch is the newer observation.
 */
export function lastPerKey<T>(rows: T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    byKey.delete(k); // re-insert so the surviving row keeps the position of its last occurrence
    byKey.set(k, row);
  }
  return [...byKey.values()];
}

export const compositionKey = (row: CompositionRow): string => row.id;
export const failureKey = (row: FailureRecord): string => `${row.templateId}\u0000${row.id}`;

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
