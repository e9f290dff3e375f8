import pLimit from 'p-limit';
import type { ContentPreparer } from '../content/preparer.js';
import type { OpenEhrClient } from '../openehr/types.js';
import type { Store } from '../store/types.js';
import { checksumOf } from '../transform/index.js';
import type { Matched } from './compare.js';
import { addIssue, type TemplateVerification } from './types.js';

export interface ContentCheckDeps {
  client: OpenEhrClient;
  store: Pick<Store, 'getContents'>;
  content: ContentPreparer;
  concurrency: number;
  signal: AbortSignal;
}

/**
 * Compares the content of matched compositions, two ways:
 *  - tampered: the stored content no longer hashes to the stored checksum (edited in the database);
 *  - content mismatch: the source's FLAT, through the same anonymisation and transform as the export,
 *    hashes to something else than the stored checksum (format/anonymisation changed, or a wrong write).
 */
export async function checkContents(
  deps: ContentCheckDeps,
  templateId: string,
  batch: Matched[],
  issues: TemplateVerification['issues'],
): Promise<void> {
  if (batch.length === 0) return;
  const stored = await deps.store.getContents(batch.map((m) => m.id));
  const limit = pLimit(deps.concurrency);
  await Promise.all(
    batch.map((m) =>
      limit(async () => {
        const row = stored.get(m.id);
        if (!row) {
          addIssue(issues, 'missing', { id: m.id, sourceUid: m.uid, reason: 'row vanished during verify' });
          return;
        }
        const recomputed = checksumOf(JSON.parse(row.contentJson));
        if (row.checksum === null || recomputed !== row.checksum) {
          addIssue(issues, 'tampered', {
            id: m.id,
            storedUid: m.uid,
            reason: 'stored content does not match its checksum',
          });
          return;
        }
        const fetched = await deps.client.fetchFlat(m.ehrId, m.uid, deps.signal);
        if (fetched.status !== 'ok') {
          addIssue(issues, 'extra', {
            id: m.id,
            storedUid: m.uid,
            reason: `source answered ${fetched.status} during verify`,
          });
          return;
        }
        const expected = deps.content.prepare(fetched.flat, {
          ehrId: m.ehrId,
          compositionUid: m.uid,
          templateId,
        });
        if (expected.checksum !== row.checksum) {
          addIssue(issues, 'contentMismatch', { id: m.id, sourceUid: m.uid, storedUid: m.uid });
        }
      }),
    ),
  );
}
