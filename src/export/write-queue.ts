import type { BatchResult } from '../store/types.js';
import type { AssembledBatch } from './batch-builder.js';
import type { BatchSink } from './sink.js';

/**
 * A write queue of depth one: batch N is written while batch N+1 is being fetched. `push` waits for the
 * previous write, so at most one batch is in flight and one is being assembled (bounded memory), and
 * batches commit in discovery order (the cursor only moves forward). The first write error stops the
 * queue: it is thrown by the next `push` or by `drain`, and nothing after it is written.
 */
export class WriteQueue {
  private inflight: Promise<void> = Promise.resolve();
  private error: Error | undefined;

  constructor(
    private readonly sink: BatchSink,
    private readonly onWritten: (batch: AssembledBatch, result: BatchResult) => void,
  ) {}

  async push(batch: AssembledBatch): Promise<void> {
    await this.inflight;
    if (this.error) throw this.error;
    this.inflight = this.sink.write(batch.write).then(
      (result) => this.onWritten(batch, result),
      (err: unknown) => {
        this.error = err instanceof Error ? err : new Error(String(err));
      },
    );
  }

  /** Waits for the write in flight (it is allowed to finish, also during shutdown). */
  async drain(): Promise<void> {
    await this.inflight;
    if (this.error) throw this.error;
  }
}
