import type { AppContext } from '../context.js';
import { gatherStatus, type StatusFilter, type StatusReport } from '../status/gather.js';
import { openStore } from '../store/index.js';

/**
 * `atlas status`: per template cursor, counts, last run and failures, per-EHR watermarks. The schema is
 * brought up to date first (a fresh database has no tables to report on); afterwards it only reads, so
 * 'read' access lets a SELECT-only reporting role run it.
 */
export async function exportStatus(ctx: AppContext, filter: StatusFilter): Promise<StatusReport> {
  const store = await openStore(ctx, { access: 'read' });
  try {
    return await gatherStatus(store, filter);
  } finally {
    await store.close();
  }
}
