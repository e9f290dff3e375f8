import type { StoredVersion } from '../types.js';
import { type SqlContext, tbl } from './sql-context.js';

const VERSION_COLUMNS = `id, ehr_id AS "ehrId", composition_uid AS "compositionUid", checksum,
  (deleted_at IS NOT NULL) AS deleted`;

/** Stored state of these ids in one query (`= ANY`), so unchanged versions can be skipped without a fetch. */
export async function getStoredVersions(sql: SqlContext, ids: string[]): Promise<Map<string, StoredVersion>> {
  if (ids.length === 0) return new Map();
  const res = await sql.pool.query<StoredVersion>(
    `SELECT ${VERSION_COLUMNS} FROM ${tbl(sql, 'compositions')} WHERE id = ANY($1::text[])`,
    [ids],
  );
  return new Map(res.rows.map((r) => [r.id, r]));
}

/** One indexed probe of (template_id, id): does the template have any stored row at all? */
export async function hasStoredRows(sql: SqlContext, templateId: string): Promise<boolean> {
  const res = await sql.pool.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${tbl(sql, 'compositions')} WHERE template_id = $1) AS found`,
    [templateId],
  );
  return res.rows[0]?.found === true;
}

/**
 * Every stored composition of a template, live and deleted, in keyset pages ordered by id: each page is one
 * indexed range read however deep into the table, unlike OFFSET paging.
 */
export async function* listStored(
  sql: SqlContext,
  templateId: string,
  pageSize = 1000,
): AsyncIterable<StoredVersion[]> {
  let after = '';
  for (;;) {
    const res = await sql.pool.query<StoredVersion>(
      `SELECT ${VERSION_COLUMNS} FROM ${tbl(sql, 'compositions')}
        WHERE template_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [templateId, after, pageSize],
    );
    if (res.rows.length === 0) return;
    yield res.rows;
    if (res.rows.length < pageSize) return;
    after = res.rows[res.rows.length - 1]!.id;
  }
}

/**
 * Stored content of some ids. The text is jsonb's canonical rendering (keys re-ordered, whitespace
 * normalised): compare it as parsed JSON, or by checksum, not byte for byte with the source.
 */
export async function getContents(
  sql: SqlContext,
  ids: string[],
): Promise<Map<string, { contentJson: string; checksum: string | null }>> {
  if (ids.length === 0) return new Map();
  const res = await sql.pool.query<{ id: string; content: string; checksum: string | null }>(
    `SELECT id, content::text AS content, checksum FROM ${tbl(sql, 'compositions')} WHERE id = ANY($1::text[])`,
    [ids],
  );
  return new Map(res.rows.map((r) => [r.id, { contentJson: r.content, checksum: r.checksum }]));
}
