import type { Container, OperationInput } from '@azure/cosmos';
import pLimit from 'p-limit';
import { compareInstants } from '../../util/instant.js';
import { compositionKey, failureKey, lastPerKey } from '../batch-keys.js';
import { type CommitOrder, EarlierBatchFailedError } from '../commit-order.js';
import type { BatchResult, BatchWrite, CompositionRow } from '../types.js';
import { type BulkOutcome, CosmosWriteError, runBulk } from './bulk.js';
import { statusOf } from './client.js';
import {
  cursorDocument,
  deleteDocs,
  readDocs,
  upsertDocs,
  upsertFailures,
  type WatermarkDocument,
} from './control.js';
import { compositionDocument, partitionCounts, type StoredDocument, storedDocuments } from './documents.js';
import { controlIds } from './ids.js';

export interface CosmosWriteContext {
  data: Container;
  control: Container;
  partitionProperty: string;
  concurrency: number;
  /** Start time of the run (watermarks' last_export_started_at). */
  runStartedAt: string;
}

/** Rounds of re-reading and re-deciding after a concurrent change (409 / 412 / 404) before giving up. */
const MAX_ROUNDS = 4;

type Decision = { kind: 'unchanged' } | { kind: 'write'; ops: OperationInput[] };

/**
 * What to do with one composition given the stored document. The version guard: a stored version newer
 * than the incoming one is never overwritten (an older version replayed after a crash, or a delayed retry,
 * cannot win). Writes are conditional: a new document is a Create (fails with 409 if it appeared since the
 * read), an existing one a Replace with the ETag read (fails with 412 if it changed since). Either failure
 * makes the caller re-read and decide again, so the outcome is the same as one writer applying versions in
 * order, and a re-export never surfaces a 409.
 */
function decide(
  row: CompositionRow,
  stored: StoredDocument | undefined,
  partitionProperty: string,
): Decision {
  const doc = compositionDocument(row, partitionProperty) as unknown as Record<string, string>;
  if (!stored)
    return { kind: 'write', ops: [{ operationType: 'Create', partitionKey: row.ehrId, resourceBody: doc }] };
  const incoming = Number(doc.version);
  if (stored.version > incoming) return { kind: 'unchanged' };
  if (!stored.deleted && stored.compositionUid === row.compositionUid && stored.checksum === row.checksum)
    return { kind: 'unchanged' };
  if (stored.ehrId !== row.ehrId) {
    // The partition key changed (e.g. pseudonymised EHR ids): a document cannot move partitions.
    return {
      kind: 'write',
      ops: [
        { operationType: 'Delete', id: row.id, partitionKey: stored.ehrId },
        { operationType: 'Create', partitionKey: row.ehrId, resourceBody: doc },
      ],
    };
  }
  return {
    kind: 'write',
    ops: [
      {
        operationType: 'Replace',
        id: row.id,
        partitionKey: row.ehrId,
        ifMatch: stored.etag,
        resourceBody: doc,
      },
    ],
  };
}

/** Writes the compositions; returns which ids were inserted and which updated. */
async function writeCompositions(
  ctx: CosmosWriteContext,
  rows: CompositionRow[],
): Promise<{ inserted: Set<string>; updated: Set<string> }> {
  const inserted = new Set<string>();
  const updated = new Set<string>();
  let pending = rows;
  for (let round = 0; pending.length > 0; round++) {
    const stored = await storedDocuments(
      ctx.data,
      pending.map((r) => r.id),
      ctx.concurrency,
    );
    const ops: OperationInput[] = [];
    const owner = new Map<string, CompositionRow>();
    for (const row of pending) {
      const d = decide(row, stored.get(row.id), ctx.partitionProperty);
      if (d.kind === 'unchanged') continue;
      ops.push(...d.ops);
      owner.set(row.id, row);
    }
    const outcomes = await runBulk(ctx.data, ops, ctx.concurrency);
    const retry = new Map<string, CompositionRow>();
    const failed = [];
    for (const o of outcomes) {
      const row = owner.get(o.id);
      if (!row) throw new Error(`the bulk executor answered for an unknown document ${JSON.stringify(o.id)}`);
      if (o.status === 201 && o.input.operationType === 'Create') {
        if (stored.has(row.id)) updated.add(row.id);
        else inserted.add(row.id);
      } else if (o.status === 200 || o.status === 204) {
        if (o.input.operationType === 'Replace') updated.add(row.id);
      } else if (o.status === 409 || o.status === 412 || o.status === 404) {
        retry.set(row.id, row);
      } else {
        failed.push(o);
      }
    }
    if (failed.length > 0) throw new CosmosWriteError('writing compositions', failed);
    if (retry.size > 0 && round + 1 >= MAX_ROUNDS)
      throw new Error(`${retry.size} composition(s) kept changing while being written; the batch is retried`);
    for (const id of retry.keys()) {
      inserted.delete(id);
      updated.delete(id);
    }
    pending = [...retry.values()];
  }
  return { inserted, updated };
}

/** Marks (patch deleted_at) or removes the template's documents gone from the source. */
async function applyDeletions(
  ctx: CosmosWriteContext,
  ids: string[],
  policy: 'mark' | 'delete',
): Promise<string[]> {
  if (ids.length === 0) return [];
  const stored = await storedDocuments(ctx.data, ids, ctx.concurrency);
  const targets = [...stored.values()].filter((s) => policy === 'delete' || !s.deleted);
  const outcomes =
    policy === 'mark'
      ? await markDeleted(ctx, targets)
      : await runBulk(
          ctx.data,
          targets.map((s): OperationInput => ({ operationType: 'Delete', id: s.id, partitionKey: s.ehrId })),
          ctx.concurrency,
        );
  // 404: removed meanwhile, the state asked for; it is not counted again.
  const failed = outcomes.filter((o) => o.status >= 300 && o.status !== 404);
  if (failed.length > 0) throw new CosmosWriteError('marking deleted compositions', failed);
  const done = new Set(outcomes.filter((o) => o.status < 300).map((o) => o.id));
  return targets.filter((t) => done.has(t.id)).map((t) => t.ehrId);
}

/**
 * Marking is a partial update of one field (`deleted_at`), sent as point PATCH requests with bounded
 * concurrency rather than bulk Patch operations: the test server's batch endpoint has no Patch, and
 * deletions are few per run. The content stays, so a composition that comes back is a plain Replace.
 */
async function markDeleted(ctx: CosmosWriteContext, targets: StoredDocument[]): Promise<BulkOutcome[]> {
  const stamp = new Date().toISOString();
  const limit = pLimit(ctx.concurrency);
  return Promise.all(
    targets.map((s) =>
      limit(async (): Promise<BulkOutcome> => {
        const input: OperationInput = {
          operationType: 'Patch',
          id: s.id,
          partitionKey: s.ehrId,
          resourceBody: { operations: [{ op: 'set', path: '/deleted_at', value: stamp }] },
        };
        try {
          const res = await ctx.data
            .item(s.id, s.ehrId)
            .patch([{ op: 'set', path: '/deleted_at', value: stamp }]);
          return { input, id: s.id, status: res.statusCode };
        } catch (err) {
          return { input, id: s.id, status: statusOf(err) ?? 500 };
        }
      }),
    ),
  );
}

/**
 * One watermark per (template, EHR) touched by the batch. Every field is recomputed so a replayed batch
 * gives the same document: the latest commit time and its uid only move forward, and the counts are read
 * from the EHR's partition (one single-partition query per EHR) instead of being incremented, which a
 * batch written twice would count twice.
 */
async function writeWatermarks(
  ctx: CosmosWriteContext,
  batch: BatchWrite,
  compositions: CompositionRow[],
  deletedEhrs: string[],
): Promise<void> {
  const latest = new Map<string, { time: string; uid: string }>();
  for (const c of compositions) {
    const cur = latest.get(c.ehrId);
    const cmp = cur ? compareInstants(c.timeCommitted, cur.time) : 1;
    if (!cur || cmp > 0 || (cmp === 0 && c.compositionUid > cur.uid))
      latest.set(c.ehrId, { time: c.timeCommitted, uid: c.compositionUid });
  }
  const ehrs = [...new Set([...latest.keys(), ...deletedEhrs])];
  if (ehrs.length === 0) return;
  const ids = ehrs.map((e) => controlIds.watermark(batch.templateId, e));
  const existing = await readDocs<WatermarkDocument>(ctx.control, ids);
  const limit = pLimit(ctx.concurrency);
  const docs = await Promise.all(
    ehrs.map((ehrId, i) =>
      limit(async (): Promise<WatermarkDocument | undefined> => {
        const before = existing.get(ids[i]!);
        const top = latest.get(ehrId);
        // A pair with only deletions updates an existing watermark but never creates one.
        if (!before && !top) return undefined;
        const counts = await partitionCounts(ctx.data, ehrId);
        const newer =
          top &&
          (!before?.last_exported_timestamp ||
            compareInstants(top.time, before.last_exported_timestamp) >= 0);
        return {
          id: ids[i]!,
          type: 'watermark',
          template_id: batch.templateId,
          ehr_id: ehrId,
          last_exported_timestamp: newer ? top.time : (before?.last_exported_timestamp ?? null),
          last_exported_composition_uid: newer ? top.uid : (before?.last_exported_composition_uid ?? null),
          compositions_exported_count: counts.total,
          live_count: counts.live,
          last_export_started_at: ctx.runStartedAt,
          last_export_completed_at: null,
          last_export_status: 'in_progress',
          last_run_id: batch.runId,
        };
      }),
    ),
  );
  await upsertDocs(
    ctx.control,
    docs.filter((d): d is WatermarkDocument => d !== undefined),
    ctx.concurrency,
    'writing watermarks',
  );
}

/**
 * A batch on Cosmos DB, which has no transaction across partitions or containers. The guarantee comes from
 * order and idempotence instead (docs/cosmosdb.md, "Why exactly one current document"):
 *  1. compositions (conditional, version-guarded writes keyed by the versioned-object id),
 *  2. deletions, watermarks and failure records, all recomputed or idempotent,
 *  3. the cursor, LAST, and only after every document of 1 and 2 was acknowledged.
 * A crash anywhere before 3 leaves the cursor where it was: the next run rediscovers the batch and writes
 * it again, and every step finds its own earlier work already done (unchanged, 404, same watermark).
 */
export async function writeBatch(
  ctx: CosmosWriteContext,
  batch: BatchWrite,
  order?: CommitOrder,
): Promise<BatchResult> {
  const compositions = lastPerKey(batch.compositions, compositionKey);
  const failures = lastPerKey(batch.failures, failureKey);
  const { inserted, updated } = await writeCompositions(ctx, compositions);
  if (order && !(await order.previous)) throw new EarlierBatchFailedError(batch.templateId);
  const deletedEhrs = await applyDeletions(
    ctx,
    [...new Set(batch.deletions.map((d) => d.id))],
    batch.deletionPolicy,
  );
  await writeWatermarks(ctx, batch, compositions, deletedEhrs);
  // Resolution first: a composition that failed again in this very batch keeps its (new) failure record.
  await deleteDocs(
    ctx.control,
    batch.resolvedFailureIds.map((id) => controlIds.failure(batch.templateId, id)),
    ctx.concurrency,
    'clearing resolved failures',
  );
  await upsertFailures(ctx.control, failures, batch.runId, ctx.concurrency);
  if (batch.cursor) await ctx.control.items.upsert(cursorDocument(batch.cursor, batch.runId));
  return {
    inserted: inserted.size,
    updated: updated.size,
    unchanged: batch.compositions.length - inserted.size - updated.size,
    deleted: deletedEhrs.length,
  };
}
