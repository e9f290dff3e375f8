import { parseUid } from '../uid.js';
import { countLiveQuery, liveQuery } from './queries.js';
import { countCell, stringCell } from './result-set.js';
import type { AqlRunner } from './runner.js';

export interface LiveEntry {
  ehrId: string;
  uid: string;
  objectId: string;
}

/**
 * Every live composition of a template, for reconcile and verify. Paged by offset in uid order: AQL cannot
 * express "uid greater than" portably, so a composition committed, updated or deleted while the listing
 * runs can shift later pages by one (a row seen twice or not at all). Callers that need an exact set
 * compare it with `countLive` or list again.
 */
export async function* listLive(
  runner: AqlRunner,
  templateId: string,
  pageSize: number,
  signal?: AbortSignal,
): AsyncIterable<LiveEntry[]> {
  const { q, params } = liveQuery(templateId);
  let offset = 0;
  for (;;) {
    const page = await runner.query(q, params, { offset, fetch: pageSize }, signal);
    const entries: LiveEntry[] = [];
    for (const row of page.rows) {
      const ehrId = stringCell(row, 0);
      const uid = stringCell(row, 1);
      if (ehrId && uid) entries.push({ ehrId, uid, objectId: parseUid(uid).objectId });
    }
    if (entries.length > 0) yield entries;
    if (page.fetch === undefined || page.rows.length < page.fetch) return;
    offset += page.rows.length;
  }
}

export async function countLive(
  runner: AqlRunner,
  templateId: string,
  signal?: AbortSignal,
): Promise<number> {
  const { q, params } = countLiveQuery(templateId);
  const result = await runner.query(q, params, undefined, signal);
  return result.rows.length === 0 ? 0 : countCell(result.rows[0], 0);
}
