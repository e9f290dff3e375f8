import { type CommitOrder, EarlierBatchFailedError } from '../commit-order.js';
import { type BatchResult, type BatchWrite, type FailureRecord, TemplateLockLostError } from '../types.js';
import { compositionKey, failureKey, lastPerKey, watermarkInput } from './batch-plan.js';
import type { CompositionWriter } from './composition-upsert.js';
import { upsertCursor } from './cursors.js';
import { applyDeletions } from './deletions.js';
import { resolveFailures, upsertFailures } from './failures.js';
import { isRowRefusal, writeRowsIsolated } from './row-refusal.js';
import { inTransaction, type SqlContext } from './sql-context.js';
import { upsertWatermarks } from './watermarks-write.js';

/**
 * A batch is the unit of progress: compositions, deletions, watermarks, failure records and the cursor are
 * written in ONE transaction, so after a crash at any instant either all of it is there or none of it, and the
 * next run resumes from the last committed cursor. Any error rolls the whole batch back and is rethrown,
 * except a value the database refuses (see row-refusal.ts): then the batch is written again without the
 * refused compositions, which are recorded in failed_compositions and returned as `refused`.
 *
 * With `order` (see CommitOrder) the composition rows are written first and the rest waits until the batch
 * before this one committed.
 *
 * `unchanged` counts the batch's compositions not written: same version and checksum as stored, or a duplicate
 * id superseded by a later row of the same batch.
 */
export async function writeBatch(
  sql: SqlContext,
  writer: CompositionWriter,
  batch: BatchWrite,
  order?: CommitOrder,
): Promise<BatchResult> {
  try {
    return await writeOnce(sql, writer, batch, order, false);
  } catch (err) {
    // One composition the database refuses (a value, not the connection) must not block its template: the
    // batch is written again with every row under its own savepoint; refused rows become failure records.
    if (!isRowRefusal(err) || batch.compositions.length === 0) throw err;
    return writeOnce(sql, writer, batch, order, true);
  }
}

async function writeOnce(
  sql: SqlContext,
  writer: CompositionWriter,
  batch: BatchWrite,
  order: CommitOrder | undefined,
  isolate: boolean,
): Promise<BatchResult> {
  const all = lastPerKey(batch.compositions, compositionKey);
  return inTransaction(
    sql,
    async (client) => {
      let compositions = all;
      let written: Awaited<ReturnType<CompositionWriter>>;
      let refused: FailureRecord[] = [];
      if (isolate) {
        const isolated = await writeRowsIsolated(client, sql, writer, all);
        ({ written, refused } = isolated);
        compositions = isolated.kept;
      } else {
        written = await writer(client, sql, compositions);
      }
      if (order && !(await order.previous)) throw new EarlierBatchFailedError(batch.templateId);
      const deleted = await applyDeletions(
        client,
        sql,
        batch.templateId,
        [...new Set(batch.deletions.map((d) => d.id))],
        batch.deletionPolicy,
      );
      const removed = batch.deletionPolicy === 'delete' ? deleted : [];
      const marked = batch.deletionPolicy === 'mark' ? deleted : [];
      await upsertWatermarks(
        client,
        sql,
        watermarkInput(compositions, written, removed, marked),
        batch.runId,
      );
      // Resolution first: a composition that failed again in this very batch keeps its (new) failure record.
      const refusedIds = new Set(refused.map((r) => r.id));
      await resolveFailures(
        client,
        sql,
        batch.templateId,
        batch.resolvedFailureIds.filter((id) => !refusedIds.has(id)),
      );
      await upsertFailures(client, sql, lastPerKey([...batch.failures, ...refused], failureKey), batch.runId);
      if (batch.cursor) await upsertCursor(client, sql, batch.cursor, batch.runId);
      // Without the lock another exporter may be writing the same template: nothing of this batch commits.
      if (batch.lockLost?.aborted) {
        throw new TemplateLockLostError(
          batch.templateId,
          String((batch.lockLost.reason as Error)?.message ?? batch.lockLost.reason),
        );
      }
      const inserted = written.filter((w) => w.inserted).length;
      const updated = written.length - inserted;
      return {
        inserted,
        updated,
        unchanged: batch.compositions.length - written.length - refused.length,
        deleted: deleted.length,
        ...(refused.length > 0 ? { refused } : {}),
      };
    },
    { templateId: batch.templateId },
  );
}
