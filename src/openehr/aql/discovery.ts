import type { Logger } from '../../context.js';
import { OpenEhrHttpError } from '../http/errors.js';
import type { ChangeRecord, DiscoverOptions, DiscoveryMode } from '../types.js';
import { parseUid } from '../uid.js';
import { instantNanos } from './instant.js';
import { Keyset } from './keyset.js';
import { discoveryQuery } from './queries.js';
import { compositionCell, stringCell, timeCell } from './result-set.js';
import type { AqlRunner } from './runner.js';

/** What the client remembers about the server's discovery support between calls. */
export interface DiscoveryState {
  mode: DiscoveryMode;
  /** True once a commit-time page succeeded or the fallback was chosen. */
  settled: boolean;
}

/**
 * A 400 to the VERSION query means the server cannot query commit times (older EHRbase:
 * `Not implemented: …`, others name VERSION or the commit_audit path).
 */
export function versionUnsupported(err: unknown): boolean {
  if (!(err instanceof OpenEhrHttpError) || err.status !== 400) return false;
  const message = err.serverMessage ?? '';
  return /^not implemented/i.test(message) || /VERSION|commit_audit|time_committed/i.test(message);
}

/**
 * Change discovery for one template: pages of records in (time, uid) order by commit time, or by clinical
 * start time where VERSION cannot be queried (one WARN per client: back-dated commits can be missed).
 * One query stream per template whatever the number of EHRs; an EHR filter is an AQL condition.
 */
export async function* discoverChanges(
  runner: AqlRunner,
  state: DiscoveryState,
  logger: Logger,
  opts: DiscoverOptions,
): AsyncIterable<ChangeRecord[]> {
  for (;;) {
    const mode = state.mode;
    try {
      yield* pages(runner, state, logger, mode, opts);
      return;
    } catch (err) {
      if (state.settled || mode !== 'commit_time' || !versionUnsupported(err)) throw err;
      state.mode = 'clinical_time';
      state.settled = true;
      logger.warn(
        { templateId: opts.templateId, server: (err as OpenEhrHttpError).serverMessage },
        'openEHR server cannot query VERSION commit times; discovering by clinical start time instead. ' +
          'Compositions committed later with an earlier start time (back-dated) can be missed by incremental runs, ' +
          'and compositions without context/start_time (persistent ones) are not discovered at all; ' +
          'run a full export or --reconcile periodically',
      );
    }
  }
}

const EPOCH = '1970-01-01T00:00:00Z';

/**
 * A time cell the keyset cannot place: absent or not an ISO-8601 instant. An absent clinical start time is
 * normal (persistent compositions) and skipped; every other unreadable time is that version's failure.
 */
function unreadableTime(time: string | undefined): boolean {
  return time === undefined || instantNanos(time) === undefined;
}

/** The smallest page a byte budget may shrink to: at most 0.01 requests per composition. */
export const MIN_BUDGETED_PAGE = 100;

/** Rows per page so that a page of rows of `rowBytes` stays within `budget`, between 100 and `max`. */
export function pageSizeWithin(max: number, budget: number, rowBytes: number): number {
  if (!(rowBytes > 0)) return max;
  return Math.max(Math.min(MIN_BUDGETED_PAGE, max), Math.min(max, Math.floor(budget / rowBytes)));
}

async function* pages(
  runner: AqlRunner,
  state: DiscoveryState,
  logger: Logger,
  mode: DiscoveryMode,
  opts: DiscoverOptions,
): AsyncIterable<ChangeRecord[]> {
  const keyset = new Keyset(opts.since);
  /** The last readable time met: where a record with an unreadable time is placed. */
  let position = opts.since ?? EPOCH;
  const unreadable = new Set<string>();
  // With a byte budget the first page is small: its rows' size is unknown until it arrives.
  let pageSize = opts.pageBytes === undefined ? opts.pageSize : Math.min(opts.pageSize, MIN_BUDGETED_PAGE);
  let untimed = 0;
  let malformed = 0;
  try {
    for (;;) {
      const { q, params } = discoveryQuery(mode, {
        templateId: opts.templateId,
        since: keyset.since(),
        until: opts.until,
        ehrIds: opts.ehrIds,
        withComposition: opts.withComposition?.() ?? false,
      });
      const page = await runner.query(q, params, { offset: keyset.offset(), fetch: pageSize }, opts.signal);
      state.settled = true;
      if (opts.pageBytes !== undefined && page.rows.length > 0 && page.bytes !== undefined)
        pageSize = pageSizeWithin(opts.pageSize, opts.pageBytes, page.bytes / page.rows.length);
      const rows = page.rows.map((row) => ({
        ehrId: stringCell(row, 0),
        uid: stringCell(row, 1) ?? '',
        time: timeCell(row, 2),
        composition: compositionCell(row, 3),
      }));
      const verdict = keyset.accept(rows, page.fetch);
      const fresh = new Set(verdict.fresh);
      const records: ChangeRecord[] = [];
      for (const row of rows) {
        const { objectId, version } = parseUid(row.uid);
        const ehrId = row.ehrId;
        const record = (time: string) =>
          ehrId === undefined || version === undefined
            ? undefined
            : { ehrId, uid: row.uid, objectId, version, templateId: opts.templateId, time };
        if (fresh.has(row)) {
          const listed = row.time === undefined ? undefined : record(row.time);
          if (listed === undefined) {
            malformed++;
            continue;
          }
          position = listed.time;
          records.push(row.composition ? { ...listed, canonical: row.composition } : listed);
          continue;
        }
        if (!unreadableTime(row.time)) continue; // seen before, on an earlier page
        if (row.time === undefined && mode === 'clinical_time') {
          untimed++;
          continue;
        }
        // Listed, but with a commit time nobody can read: that version's failure (recorded, exit 1), never a
        // silent skip. Placed at the discovery position it was met at, so the cursor stays on readable times.
        const placed = record(position);
        if (placed === undefined) {
          malformed++;
          continue;
        }
        if (unreadable.has(row.uid)) continue;
        unreadable.add(row.uid);
        records.push({ ...placed, unreadableTime: row.time ?? '(none)' });
      }
      if (records.length > 0) yield records;
      if (verdict.done) {
        opts.onComplete?.({ mode, skippedRows: untimed + malformed });
        return;
      }
    }
  } finally {
    if (untimed > 0) {
      logger.warn(
        { templateId: opts.templateId, count: untimed, mode },
        'compositions without context/start_time cannot be discovered by clinical time and were skipped',
      );
    }
    if (unreadable.size > 0) {
      logger.warn(
        { templateId: opts.templateId, count: unreadable.size, mode },
        'versions listed with an absent or unreadable time were recorded as failed; see atlas status',
      );
    }
    if (malformed > 0) {
      logger.warn(
        { templateId: opts.templateId, count: malformed },
        'AQL rows without an EHR id or version uid were skipped',
      );
    }
  }
}
