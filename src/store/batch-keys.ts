/** Keys that identify rows within one batch, shared by every store implementation. */
import type { CompositionRow, FailureRecord } from './types.js';

/**
 * Keeps the last row per id. One statement cannot upsert the same key twice ("ON CONFLICT DO UPDATE command
 * cannot affect row a second time"), and the later row in a batch is the newer observation.
 */
export function lastPerKey<T>(rows: T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    byKey.delete(k); // re-insert so the surviving row keeps the position of its last occurrence
    byKey.set(k, row);
  }
  return [...byKey.values()];
}

export const compositionKey = (row: CompositionRow): string => row.id;
export const failureKey = (row: FailureRecord): string => `${row.templateId}\u0000${row.id}`;
