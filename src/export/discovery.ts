import type { Logger } from '../context.js';
import type { ChangeRecord, CompletedScan, DiscoveryMode, OpenEhrClient } from '../openehr/types.js';
import type { TemplateCursor } from '../store/types.js';
import { type DiscoveryWindow, planWindow, type WindowInput } from './plan.js';

export interface DiscoveredPage {
  records: ChangeRecord[];
  window: DiscoveryWindow;
  mode: DiscoveryMode;
  /** The stored cursor this scan builds on (null when absent or of the other discovery mode). */
  baseCursor: TemplateCursor | null;
}

export interface DiscoveryInput extends Omit<WindowInput, 'cursor'> {
  templateId: string;
  cursor: TemplateCursor | null;
  pageSize: number;
  signal: AbortSignal;
  /** Whether the pages should carry whole compositions (`fetch = "aql"`), asked per page. */
  withComposition?: () => boolean;
  /** See DiscoverOptions.pageBytes. */
  pageBytes?: number;
  /** Called when the scan that was kept (not one restarted in the other mode) has read its last page. */
  onComplete?: (scan: CompletedDiscovery) => void;
}

/** A scan that read the template's discovery to its end. */
export interface CompletedDiscovery extends CompletedScan {
  window: DiscoveryWindow;
}

/**
 * Whether a completed scan listed every live composition of the template (of the filtered EHRs, with an
 * EHR filter): no time bound on either side, by commit time (a clinical-time scan cannot see compositions
 * without a start time) and no row skipped. Its object ids are then the template's live set.
 */
export function listsEveryLiveComposition(scan: CompletedDiscovery | undefined): boolean {
  return (
    scan !== undefined &&
    scan.mode === 'commit_time' &&
    scan.skippedRows === 0 &&
    scan.window.since === undefined &&
    scan.window.until === undefined
  );
}

/**
 * The template's change records, page by page, in (time, uid) order. A stored cursor only means something
 * in the discovery mode it was taken in: when the server answers in the other mode (it lost or gained
 * VERSION support) the scan restarts without the cursor, i.e. from the configured start.
 */
export async function* discoverTemplate(
  logger: Logger,
  client: OpenEhrClient,
  input: DiscoveryInput,
): AsyncGenerator<DiscoveredPage> {
  let cursor = input.cursor;
  for (;;) {
    const window = planWindow({ ...input, cursor });
    let seenPage = false;
    let restart = false;
    let completed: CompletedScan | undefined;
    const pages = client.discoverChanges({
      templateId: input.templateId,
      since: window.since,
      until: window.until,
      ehrIds: input.ehrIds.length > 0 ? input.ehrIds : undefined,
      pageSize: input.pageSize,
      signal: input.signal,
      ...(input.withComposition ? { withComposition: input.withComposition } : {}),
      ...(input.pageBytes !== undefined ? { pageBytes: input.pageBytes } : {}),
      onComplete: (scan) => {
        completed = scan;
      },
    });
    for await (const records of pages) {
      if (!seenPage && modeChanged(client, cursor)) {
        restart = true;
        break;
      }
      seenPage = true;
      yield { records, window, mode: client.discoveryMode(), baseCursor: cursor };
    }
    if (!seenPage && !restart && modeChanged(client, cursor)) restart = true;
    if (!restart) {
      if (completed) input.onComplete?.({ ...completed, window });
      return;
    }
    logger.warn(
      { templateId: input.templateId, cursorMode: cursor?.mode, serverMode: client.discoveryMode() },
      'the stored cursor was taken in another discovery mode; scanning the template from the start',
    );
    cursor = null;
  }
}

function modeChanged(client: OpenEhrClient, cursor: TemplateCursor | null): boolean {
  return cursor !== null && client.discoveryMode() !== cursor.mode;
}
