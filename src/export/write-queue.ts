import { coerceError } from '../errors.js';
import type { BatchResult } from '../store/types.js';
import type { AssembledBatch } from './batch-builder.js';
import { InFlightIds, idsOf } from './in-flight-ids.js';
import type { BatchSink } from './sink.js';

/**
 * One template's write queue: batch N is written while batch N+1 is being fetched, and where the sink allows
 * two batches in flight (PostgreSQL), batch N+1 writes its rows while batch N finishes and commits. Batches
 * still commit in discovery order (the cursor only moves forward; see CommitOrder). A batch sharing an id with
 * any batch in flight in the run (`InFlightIds`) waits for it first. `push` returns once its batch is in
 * flight, so at most `writesInFlight` batches are written and one assembled (bounded memory). The first write
 * error stops the queue: it is thrown by the next `push` or by `drain`, and nothing after it is committed.
 */
export class WriteQueue {
  /** Per batch in flight: true once it committed and was counted, false if it failed (never rejects). */
  private readonly inflight: Array<Promise<boolean>> = [];
  private error: Error | undefined;

  constructor(
    private readonly sink: BatchSink,
    private readonly onWritten: (batch: AssembledBatch, result: BatchResult) => void,
    private readonly running: InFlightIds = new InFlightIds(),
  ) {}

  async push(batch: AssembledBatch): Promise<void> {
    const ids = idsOf(batch.write);
    for (;;) {
      if (this.inflight.length >= this.sink.writesInFlight) {
        await this.inflight[0];
        continue;
      }
      const blocking = this.running.blocking(ids);
      if (blocking.length === 0) break;
      await Promise.all(blocking);
    }
    if (this.error) throw this.error;
    const previous = this.inflight.at(-1);
    const done = this.sink.write(batch.write, previous ? { previous } : undefined).then(
      (result) => {
        try {
          this.onWritten(batch, result);
          return true;
        } catch (err) {
          this.fail(err);
          return false;
        }
      },
      (err: unknown) => {
        this.fail(err);
        return false;
      },
    );
    this.inflight.push(done);
    this.running.add(ids, done);
    void done.then(() => {
      this.inflight.splice(this.inflight.indexOf(done), 1);
      this.running.remove(ids, done);
    });
  }

  /** Waits for every write in flight (they are allowed to finish, also during shutdown). */
  async drain(): Promise<void> {
    while (this.inflight.length > 0) await this.inflight[0];
    if (this.error) throw this.error;
  }

  /** The first failure is the one to report: a later batch fails only because of it. */
  private fail(err: unknown): void {
    this.error ??= coerceError(err);
  }
}
