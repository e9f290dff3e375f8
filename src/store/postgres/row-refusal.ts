import type pg from 'pg';
import type { CompositionRow, FailureRecord } from '../types.js';
import type { CompositionWriter, WrittenRow } from './composition-upsert.js';
import type { SqlContext } from './sql-context.js';

/**
 * SQLSTATE classes in which PostgreSQL refuses a VALUE, not the connection or the schema: 22 data exception
 * (`\u0000` in jsonb 22P05, a lone surrogate 22P02, an unparseable time 22007/22008) and 54 program limit
 * exceeded (a jsonb over 256 MB). Such an error belongs to one composition of the batch. A violated
 * constraint (class 23) is Atlas's own bug, not the server's data: it still fails the batch.
 */
export function isRowRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

/** An escaped UTF-16 surrogate without its partner, as JSON.stringify writes one (since ES2019). */
const LONE_SURROGATE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

/**
 * What the failure record says: PostgreSQL's message (never its DETAIL, which may quote content), and for
 * the two refusals of otherwise valid JSON an explanation of what is in the composition.
 */
export function refusalReason(err: unknown, contentJson = ''): string {
  const e = err as { code?: string; message?: string };
  const why =
    e.code === '22P05'
      ? ' (the composition holds U+0000, which PostgreSQL cannot store in jsonb; Atlas does not alter clinical data, so this composition is not exported)'
      : e.code === '22P02' && LONE_SURROGATE.test(contentJson)
        ? ' (the composition holds a lone UTF-16 surrogate, which is not valid Unicode; Atlas does not alter clinical data, so this composition is not exported)'
        : '';
  return `database refused the composition: ${e.message ?? String(err)} (SQLSTATE ${e.code})${why}`.slice(
    0,
    1000,
  );
}

/**
 * Writes the rows one by one, each under a savepoint inside the caller's transaction: a row the database
 * refuses is rolled back alone and returned as a failure, every other row stays written. Only used after
 * the batch as a whole was refused, so the common path pays nothing for it.
 */
export async function writeRowsIsolated(
  client: pg.ClientBase,
  sql: SqlContext,
  writer: CompositionWriter,
  rows: CompositionRow[],
): Promise<{ written: WrittenRow[]; kept: CompositionRow[]; refused: FailureRecord[] }> {
  const written: WrittenRow[] = [];
  const kept: CompositionRow[] = [];
  const refused: FailureRecord[] = [];
  for (const row of rows) {
    await client.query('SAVEPOINT atlas_row');
    try {
      written.push(...(await writer(client, sql, [row])));
      await client.query('RELEASE SAVEPOINT atlas_row');
      kept.push(row);
    } catch (err) {
      if (!isRowRefusal(err)) throw err;
      await client.query('ROLLBACK TO SAVEPOINT atlas_row');
      refused.push({
        id: row.id,
        templateId: row.templateId,
        ehrId: row.ehrId,
        compositionUid: row.compositionUid,
        timeCommitted: row.timeCommitted,
        reason: refusalReason(err, row.contentJson),
      });
    }
  }
  return { written, kept, refused };
}
