import type { Container } from '@azure/cosmos';
import pLimit from 'p-limit';
import { ATLAS_VERSION } from '../../version.js';
import type { CompositionRow, StoredVersion } from '../types.js';
import { versionOf } from './ids.js';

/**
 * One composition in its template's data container (docs/cosmosdb.md, "Document shape"): keyed by the
 * versioned-object id, so every version of a composition replaces the same document, partitioned by the
 * EHR id. `checksum` marks Atlas's documents (the original wrote none).
 */
export interface CompositionDocument {
  id: string;
  ehr_id: string;
  composition_uid: string;
  /** The version number of composition_uid: the version guard compares it. */
  version: number;
  template_id: string;
  time_committed: string;
  content: unknown;
  export_mode: 'preserve' | 'flatten';
  checksum: string;
  atlas_version: string;
  exported_at: string;
  deleted_at: string | null;
  [partitionProperty: string]: unknown;
}

/** The stored state of a document as the write path needs it (with its ETag for conditional writes). */
export interface StoredDocument extends StoredVersion {
  etag: string;
  version: number;
}

export function compositionDocument(row: CompositionRow, partitionProperty: string): CompositionDocument {
  const doc: CompositionDocument = {
    id: row.id,
    ehr_id: row.ehrId,
    composition_uid: row.compositionUid,
    version: versionOf(row.compositionUid),
    template_id: row.templateId,
    time_committed: row.timeCommitted,
    content: JSON.parse(row.contentJson) as unknown,
    export_mode: row.exportMode,
    checksum: row.checksum,
    atlas_version: ATLAS_VERSION,
    exported_at: new Date().toISOString(),
    deleted_at: null,
  };
  if (partitionProperty !== 'ehr_id') doc[partitionProperty] = row.ehrId;
  return doc;
}

/** Ids per query: keeps the query text (~40 bytes an id) far below the 256 KB limit. */
const IDS_PER_QUERY = 500;

const STATE_PROJECTION = 'c.id, c.ehr_id, c.composition_uid, c.checksum, c.deleted_at, c._etag';

interface StateRecord {
  id: string;
  ehr_id: string;
  composition_uid: string;
  checksum?: string;
  deleted_at?: string | null;
  _etag: string;
}

function toStored(r: StateRecord): StoredDocument {
  return {
    id: r.id,
    ehrId: r.ehr_id,
    compositionUid: r.composition_uid,
    checksum: r.checksum ?? null,
    deleted: r.deleted_at !== null && r.deleted_at !== undefined,
    etag: r._etag,
    version: versionOf(r.composition_uid),
  };
}

/**
 * Stored state of some ids in one container: one query per 500 ids (`ARRAY_CONTAINS`, fanned out over the
 * partitions by the SDK), never one read per composition. Only Atlas's documents (with a checksum) count.
 */
export async function storedDocuments(
  container: Container,
  ids: string[],
  concurrency: number,
): Promise<Map<string, StoredDocument>> {
  const unique = [...new Set(ids)];
  const limit = pLimit(concurrency);
  const pages = await Promise.all(
    chunk(unique, IDS_PER_QUERY).map((part) =>
      limit(async () => {
        const { resources } = await container.items
          .query<StateRecord>({
            query: `SELECT ${STATE_PROJECTION} FROM c WHERE ARRAY_CONTAINS(@ids, c.id) AND IS_DEFINED(c.checksum)`,
            parameters: [{ name: '@ids', value: part }],
          })
          .fetchAll();
        return resources;
      }),
    ),
  );
  return new Map(pages.flat().map((r) => [r.id, toStored(r)]));
}

/** Every stored composition of a container (live and marked), in pages of the SDK's continuation. */
export async function* listDocuments(container: Container, pageSize: number): AsyncIterable<StoredVersion[]> {
  const iterator = container.items.query<StateRecord>(
    `SELECT ${STATE_PROJECTION} FROM c WHERE IS_DEFINED(c.checksum)`,
    { maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    if (resources.length > 0) yield resources.map(toStored).map(({ etag: _e, version: _v, ...s }) => s);
  }
}

/** Stored content of some ids (verify's content check), one query per 500 ids. */
export async function documentContents(
  container: Container,
  ids: string[],
  concurrency: number,
): Promise<Map<string, { contentJson: string; checksum: string | null }>> {
  const limit = pLimit(concurrency);
  const pages = await Promise.all(
    chunk([...new Set(ids)], IDS_PER_QUERY).map((part) =>
      limit(async () => {
        const { resources } = await container.items
          .query<{ id: string; content: unknown; checksum?: string }>({
            query:
              'SELECT c.id, c.content, c.checksum FROM c WHERE ARRAY_CONTAINS(@ids, c.id) AND IS_DEFINED(c.checksum)',
            parameters: [{ name: '@ids', value: part }],
          })
          .fetchAll();
        return resources;
      }),
    ),
  );
  return new Map(
    pages.flat().map((r) => [r.id, { contentJson: JSON.stringify(r.content), checksum: r.checksum ?? null }]),
  );
}

/**
 * Documents of one EHR in a container, counted in its own partition: all of them (the watermark's
 * compositions_exported_count, as on PostgreSQL marked documents still count) and the live ones.
 */
export async function partitionCounts(
  container: Container,
  ehrId: string,
): Promise<{ total: number; live: number }> {
  const { resources } = await container.items
    .query<string | null>(
      {
        query: 'SELECT VALUE c.deleted_at FROM c WHERE c.ehr_id = @e AND IS_DEFINED(c.checksum)',
        parameters: [{ name: '@e', value: ehrId }],
      },
      { partitionKey: ehrId },
    )
    .fetchAll();
  return { total: resources.length, live: resources.filter((d) => d === null || d === undefined).length };
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
