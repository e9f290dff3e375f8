import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../context.js';
import { ConnectionError, coerceError } from '../errors.js';
import { type CommitOrder, EarlierBatchFailedError } from '../store/commit-order.js';
import {
  type BatchResult,
  type BatchWrite,
  type Store,
  type StoredVersion,
  TemplateLockLostError,
} from '../store/types.js';

/** Where assembled batches go: the store (one transaction each) or, in a dry run, nowhere. */
export interface BatchSink {
  /** With `order`, the batch is written while the one before it is in flight (see CommitOrder). */
  write(batch: BatchWrite, order?: CommitOrder): Promise<BatchResult>;
  /** How many batches may be in flight at once. */
  readonly writesInFlight: number;
}

export interface WriteRetryPolicy {
  maxRetries: number;
  backoffMs: number[];
}

/** The delay before retry number `attempt` (1-based); the last configured delay repeats. */
export function backoffDelay(policy: WriteRetryPolicy, attempt: number): number {
  const { backoffMs } = policy;
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(attempt - 1, backoffMs.length - 1)] ?? 0;
}

/**
 * Runs one batch write, retrying it whole on failure (a failed write rolled back, so a retry cannot
 * duplicate anything); after `maxRetries` it throws a ConnectionError (exit 4): the batch is not written
 * and the cursor not advanced, so the next run redoes it. No retry is started once the run is shutting down.
 */
export async function writeWithRetry<R>(
  write: () => Promise<R>,
  what: string,
  policy: WriteRetryPolicy,
  logger: Logger,
  signal: AbortSignal,
): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      // Its own failure was reported by the batch before it; retrying this one alone would skip that batch.
      if (err instanceof EarlierBatchFailedError) throw err;
      // The lock is gone for good: retrying could only write without mutual exclusion.
      if (err instanceof TemplateLockLostError) throw err;
      const e = coerceError(err);
      if (attempt >= policy.maxRetries || signal.aborted) {
        throw new ConnectionError(`${what} failed after ${attempt + 1} attempt(s): ${e.message}`, {
          cause: e,
        });
      }
      const delay = backoffDelay(policy, attempt + 1);
      logger.warn({ attempt: attempt + 1, delayMs: delay, err: e.message }, `${what} failed; retrying`);
      await sleep(delay);
    }
  }
}

/** Each batch in one store transaction (`store.writeBatch`), retried whole as `writeWithRetry` says. */
export function storeSink(
  store: Store,
  policy: WriteRetryPolicy,
  logger: Logger,
  signal: AbortSignal,
): BatchSink {
  return {
    writesInFlight: store.writesInFlight,
    write: (batch, order) =>
      writeWithRetry(
        () => store.writeBatch(batch, order),
        `writing a batch of ${batch.compositions.length} compositions for template ${JSON.stringify(batch.templateId)}`,
        policy,
        logger,
        signal,
      ),
  };
}

/** Read access to what is stored, for a dry run (an unmigrated database reads as empty). */
export interface StoredVersionLookup {
  getStoredVersions(ids: string[]): Promise<Map<string, StoredVersion>>;
}

/**
 * A dry run's sink: counts what the store would do (insert / update / unchanged / delete) from the stored
 * versions and checksums, and writes nothing.
 */
export function dryRunSink(lookup: StoredVersionLookup): BatchSink {
  return {
    writesInFlight: 1,
    async write(batch) {
      const ids = [...batch.compositions.map((c) => c.id), ...batch.deletions.map((d) => d.id)];
      const stored = ids.length > 0 ? await lookup.getStoredVersions(ids) : new Map<string, StoredVersion>();
      const result: BatchResult = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
      for (const row of batch.compositions) {
        const s = stored.get(row.id);
        if (!s) result.inserted++;
        else if (!s.deleted && s.compositionUid === row.compositionUid && s.checksum === row.checksum)
          result.unchanged++;
        else result.updated++;
      }
      for (const d of batch.deletions) {
        const s = stored.get(d.id);
        if (s && (!s.deleted || batch.deletionPolicy === 'delete')) result.deleted++;
      }
      return result;
    },
  };
}

/** Batches of one template carry its lock's `lost` signal, so a batch written after the loss rolls back. */
export function withLockGuard(sink: BatchSink, lost: AbortSignal | undefined): BatchSink {
  if (!lost) return sink;
  return {
    writesInFlight: sink.writesInFlight,
    write: (batch, order) => sink.write({ ...batch, lockLost: lost }, order),
  };
}

/** Runs `after` once each batch is written (the batch result is returned unchanged). */
export function withAfterWrite(sink: BatchSink, after?: () => Promise<void>): BatchSink {
  if (!after) return sink;
  return {
    writesInFlight: sink.writesInFlight,
    async write(batch, order) {
      const result = await sink.write(batch, order);
      await after();
      return result;
    },
  };
}
