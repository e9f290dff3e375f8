import type { FailureRecord } from '../store/types.js';
import type { FailedComposition } from './types.js';

/** Failures listed in the summary; the count stays exact beyond it. */
export const MAX_LISTED_FAILURES = 1000;

/**
 * Which compositions of a template are failing right now (recorded earlier and not resolved, or failed in
 * this run): the exact set of ids, and details of the first `MAX_LISTED_FAILURES` for the summary, so a
 * source that fails everything cannot exhaust memory.
 */
export class FailureTally {
  private readonly ids = new Set<string>();
  private readonly listed = new Map<string, FailedComposition>();

  add(f: FailureRecord): void {
    this.ids.add(f.id);
    if (this.listed.has(f.id) || this.listed.size < MAX_LISTED_FAILURES) {
      this.listed.set(f.id, {
        id: f.id,
        compositionUid: f.compositionUid,
        ehrId: f.ehrId,
        templateId: f.templateId,
        reason: f.reason,
      });
    }
  }

  resolve(id: string): void {
    this.ids.delete(id);
    this.listed.delete(id);
  }

  get count(): number {
    return this.ids.size;
  }

  list(): FailedComposition[] {
    return [...this.listed.values()];
  }
}
