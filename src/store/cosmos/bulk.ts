import type { Container, OperationInput } from '@azure/cosmos';
import pLimit from 'p-limit';

/** At most 100 operations per SDK bulk call (the service's limit for one batch request). */
const OPERATIONS_PER_CALL = 100;

export interface BulkOutcome {
  input: OperationInput;
  /** The document id the operation addressed. */
  id: string;
  /** HTTP status of the operation (201 created, 200 replaced, 204 deleted, 404, 409, 412, ...). */
  status: number;
  eTag?: string;
}

/**
 * Runs document operations with the SDK's bulk executor (`executeBulkOperations`), in calls of at most 100
 * operations and at most `concurrency` calls at once (cosmosdb.max_concurrency). Throttling is the SDK's:
 * a 429'd request or operation is retried after the `x-ms-retry-after-ms` the service sent (documented
 * behaviour of the bulk executor and of ResourceThrottleRetryPolicy), so Atlas never hammers a throttled
 * account. Every operation gets an outcome; the caller decides what a 404/409/412 means.
 */
export async function runBulk(
  container: Container,
  operations: OperationInput[],
  concurrency: number,
): Promise<BulkOutcome[]> {
  if (operations.length === 0) return [];
  const limit = pLimit(concurrency);
  const calls: Promise<BulkOutcome[]>[] = [];
  for (let i = 0; i < operations.length; i += OPERATIONS_PER_CALL) {
    const chunk = operations.slice(i, i + OPERATIONS_PER_CALL);
    calls.push(
      limit(async () => {
        const results = await container.items.executeBulkOperations(chunk);
        // The SDK hands back copies of the inputs: outcomes are matched by operation and document id.
        return results.map((r, j) => ({
          input: r.operationInput ?? chunk[j]!,
          id: operationId(r.operationInput ?? chunk[j]!),
          status: r.response?.statusCode ?? (typeof r.error?.code === 'number' ? r.error.code : 500),
          eTag: r.response?.eTag,
        }));
      }),
    );
  }
  return (await Promise.all(calls)).flat();
}

export function operationId(op: OperationInput): string {
  if ('id' in op && typeof op.id === 'string') return op.id;
  const body = (op as { resourceBody?: { id?: unknown } }).resourceBody;
  return typeof body?.id === 'string' ? body.id : '';
}

/** An operation the service refused for a reason a retry of the whole batch may cure (or not). */
export class CosmosWriteError extends Error {
  constructor(what: string, outcomes: BulkOutcome[]) {
    const statuses = [...new Set(outcomes.map((o) => o.status))].join(', ');
    super(`${what}: ${outcomes.length} operation(s) failed with status ${statuses}`);
    this.name = 'CosmosWriteError';
  }
}
