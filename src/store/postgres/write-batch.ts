import { type CommitOrder, EarlierBatchFailedError } from '../commit-order.js';
import type { BatchResult, BatchWrite } from '../types.js';
import { compositionKey, failureKey, lastPerKey, watermarkInput } from './batch-plan.js';
import type { CompositionWriter } from './composition-upsert.js';
import { upsertCursor } from './cursors.js';
import { applyDeletions } from './deletions.js';
import { resolveFailures, upsertFailures } from './failures.js';
import { inTransaction, type SqlContext } from './sql-context.js';
import { upsertWatermarks } from './watermarks-write.js';

/**
 * A batch is the unit of progress: compositions, deletions, watermarks, failure records and the cursor are
 * written in ONE transaction, so after a crash at any instant either all of it is there or none of it, and the
 * next run resumes from the last committed cursor. Any error rolls the whole batch back and is rethrown.
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
  const compositions = lastPerKey(batch.compositions, compositionKey);
  const failures = lastPerKey(batch.failures, failureKey);
  return inTransaction(sql, async (client) => {
    const written = await writer(client, sql, compositions);
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
    await upsertWatermarks(client, sql, watermarkInput(compositions, written, removed, marked), batch.runId);
    // Resolution first: a composition that failed again in this very batch keeps its (new) failure record.
    await resolveFailures(client, sql, batch.templateId, batch.resolvedFailureIds);
    await upsertFailures(client, sql, failures, batch.runId);
    if (batch.cursor) await upsertCursor(client, sql, batch.cursor, batch.runId);
    const inserted = written.filter((w) => w.inserted).length;
    const updated = written.length - inserted;
    return {
      inserted,
      updated,
      unchanged: batch.compositions.length - written.length,
      deleted: deleted.length,
    };
  });
}
