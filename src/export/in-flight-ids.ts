import type { BatchWrite } from '../store/types.js';

/**
 * The ids of every batch in flight in a run, across templates (two templates overlap at a hand-off). A batch
 * starts only when no batch in flight shares an id with it, so batches in flight never wait on each other's
 * row locks: the only waits left are a batch's wait for the one before it (CommitOrder), which always points
 * back in time, and PostgreSQL cannot deadlock on what it cannot see.
 */
export class InFlightIds {
  private readonly byId = new Map<string, Promise<unknown>>();

  /** The writes in flight sharing an id with `ids` (each once). */
  blocking(ids: Iterable<string>): Array<Promise<unknown>> {
    const found = new Set<Promise<unknown>>();
    for (const id of ids) {
      const done = this.byId.get(id);
      if (done) found.add(done);
    }
    return [...found];
  }

  add(ids: Iterable<string>, done: Promise<unknown>): void {
    for (const id of ids) this.byId.set(id, done);
  }

  remove(ids: Iterable<string>, done: Promise<unknown>): void {
    for (const id of ids) if (this.byId.get(id) === done) this.byId.delete(id);
  }
}

/** Every id a batch writes: rows, deletions and failure records (created or resolved). */
export function idsOf(batch: BatchWrite): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const c of batch.compositions) ids.add(c.id);
  for (const d of batch.deletions) ids.add(d.id);
  for (const f of batch.failures) ids.add(f.id);
  for (const id of batch.resolvedFailureIds) ids.add(id);
  return ids;
}
