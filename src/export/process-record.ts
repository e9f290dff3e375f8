import type { ContentPreparer } from '../content/preparer.js';
import { AtlasError, ConnectionError } from '../errors.js';
import type { ChangeRecord, OpenEhrClient } from '../openehr/types.js';
import { printable } from '../util/printable.js';
import type { TemplateAqlFetch } from './aql-fetch.js';
import type { ItemOutcome } from './types.js';

/**
 * Errors that stop the run instead of being recorded against one composition: credentials refused
 * (exit 3), a server gone for good or the database (exit 4). Recording those per composition would mark
 * thousands of healthy compositions as failed.
 */
export function isFatal(err: unknown): boolean {
  return err instanceof AtlasError;
}

function reasonOf(stage: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // A server's text may hold control characters, which PostgreSQL text refuses (NUL) or terminals obey.
  return printable(`${stage}: ${message}`).slice(0, 1000);
}

/**
 * Whether the server as a whole still answers (one cheap authenticated AQL round trip, under the retry
 * policy): a composition whose GET keeps failing at the connection level is then that composition's
 * failure; when the probe fails too, the server is gone and the run stops (exit 4).
 */
async function serverAnswers(client: OpenEhrClient, signal: AbortSignal): Promise<boolean> {
  try {
    await client.ping(signal);
    return true;
  } catch (err) {
    if (signal.aborted) throw err;
    return false;
  }
}

/**
 * GET one version's FLAT and turn it into a row. A 204/404 means the composition is gone from the source
 * (a deletion); a fetch or transform error after the client's retries is a failure of this composition.
 * Aborts and fatal errors are thrown. With `aql` (fetch = "aql") the FLAT comes from the canonical JSON the
 * discovery page carried, converted locally, unless that template fell back to GETs.
 */
export async function processRecord(
  client: OpenEhrClient,
  content: ContentPreparer,
  record: ChangeRecord,
  signal: AbortSignal,
  aql?: TemplateAqlFetch,
): Promise<ItemOutcome> {
  let fetched: Awaited<ReturnType<OpenEhrClient['fetchFlat']>>;
  try {
    fetched =
      (await aql?.fetch(record, signal)) ?? (await client.fetchFlat(record.ehrId, record.uid, signal));
  } catch (err) {
    if (signal.aborted) throw err;
    if (err instanceof ConnectionError && (await serverAnswers(client, signal))) {
      // Resets, a deadline or a malformed body on this composition only: the server answers otherwise.
      return { kind: 'failed', record, reason: reasonOf('fetch', err) };
    }
    if (isFatal(err)) throw err;
    return { kind: 'failed', record, reason: reasonOf('fetch', err) };
  }
  if (fetched.status !== 'ok') return { kind: 'gone', record, status: fetched.status };
  const uid = fetched.uid || record.uid;
  try {
    const prepared = content.prepare(fetched.flat, {
      ehrId: record.ehrId,
      compositionUid: uid,
      templateId: record.templateId,
    });
    return {
      kind: 'row',
      record,
      row: {
        id: record.objectId,
        ehrId: content.storedEhrId(record.ehrId),
        compositionUid: uid,
        templateId: record.templateId,
        timeCommitted: record.time,
        contentJson: prepared.json,
        exportMode: content.format,
        checksum: prepared.checksum,
      },
    };
  } catch (err) {
    if (isFatal(err)) throw err;
    return { kind: 'failed', record, reason: reasonOf('transform', err) };
  }
}
