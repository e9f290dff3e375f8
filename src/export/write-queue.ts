import type { BatchResult, BatchWrite } from '../store/types.js';
import type { AssembledBatch } from './batch-builder.js';
import type { BatchSink } from './sink.js';

interface InFlight {
  /** True once the batch committed, false if it failed (never rejects). */
  done: Promise<boolean>;
  /** Composition and deletion ids of the batch: a later batch with one of them must wait for its commit. */
  ids: ReadonlySet<string>;
}

/**
 * The write queue: batch N is written while batch N+1 is being fetched, and where the sink allows two
 * batches in flight (PostgreSQL), batch N+1 writes its rows while batch N finishes and commits. Batches
 * still commit in discovery order (the cursor only moves forward; see CommitOrder); a batch sharing an id
 * with the one in flight waits for it instead. `push` returns once its batch is in flight, so at most
 * `writesInFlight` batches are written and one assembled (bounded memory). The first write error stops the
 * queue: it is thrown by the next `push` or by `drain`, and nothing after it is committed.
 */
export class WriteQueue {
  private readonly inflight: InFlight[] = [];
  private error: Error | undefined;

  constructor(
    private readonly sink: BatchSink,
    private readonly onWritten: (batch: AssembledBatch, result: BatchResult) => void,
  ) {}

  async push(batch: AssembledBatch): Promise<void> {
    while (this.inflight.length > 0 && !this.mayOverlap(batch.write)) await this.inflight[0]!.done;
    if (this.error) throw this.error;
    const previous = this.inflight.at(-1)?.done;
    const entry: InFlight = {
      ids: idsOf(batch.write),
      done: this.sink.write(batch.write, previous ? { previous } : undefined).then(
        (result) => {
          this.onWritten(batch, result);
          return true;
        },
        (err: unknown) => {
          // The first failure is the one to report: a later batch fails only because of it.
          this.error ??= err instanceof Error ? err : new Error(String(err));
          return false;
        },
      ),
    };
    this.inflight.push(entry);
    void entry.done.then(() => this.inflight.splice(this.inflight.indexOf(entry), 1));
  }

  /** Waits for every write in flight (they are allowed to finish, also during shutdown). */
  async drain(): Promise<void> {
    while (this.inflight.length > 0) await this.inflight[0]!.done;
    if (this.error) throw this.error;
  }

  private mayOverlap(batch: BatchWrite): boolean {
    if (this.inflight.length >= this.sink.writesInFlight) return false;
    const last = this.inflight.at(-1)!;
    return (
      !batch.compositions.some((c) => last.ids.has(c.id)) && !batch.deletions.some((d) => last.ids.has(d.id))
    );
  }
}

function idsOf(batch: BatchWrite): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const c of batch.compositions) ids.add(c.id);
  for (const d of batch.deletions) ids.add(d.id);
  return ids;
}
