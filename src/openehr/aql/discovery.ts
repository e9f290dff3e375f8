import type { Logger } from '../../context.js';
import { OpenEhrHttpError } from '../http/errors.js';
import type { ChangeRecord, DiscoverOptions, DiscoveryMode } from '../types.js';
import { parseUid } from '../uid.js';
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
      untimed += verdict.untimed;
      const records: ChangeRecord[] = [];
      for (const row of verdict.fresh) {
        const { objectId, version } = parseUid(row.uid);
        if (!row.ehrId || version === undefined || row.time === undefined) {
          malformed++;
          continue;
        }
        records.push({
          ehrId: row.ehrId,
          uid: row.uid,
          objectId,
          version,
          templateId: opts.templateId,
          time: row.time,
          ...(row.composition ? { canonical: row.composition } : {}),
        });
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
        mode === 'clinical_time'
          ? 'compositions without context/start_time cannot be discovered by clinical time and were skipped'
          : 'change records without a commit time were skipped',
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
