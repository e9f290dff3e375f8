import type pg from 'pg';
import type { DeletionPolicy } from '../types.js';
import { type SqlContext, tbl } from './sql-context.js';

export interface AppliedDeletion {
  ehrId: string;
  templateId: string;
}

/**
 * Compositions gone from the source. `mark` stamps deleted_at and keeps the content (history stays queryable;
 * a later upsert of the same id brings the row back); `delete` removes the row. Only rows of the batch's
 * template are touched, and a row already marked is not counted twice.
 */
export async function applyDeletions(
  client: pg.ClientBase,
  sql: SqlContext,
  templateId: string,
  ids: string[],
  policy: DeletionPolicy,
): Promise<AppliedDeletion[]> {
  if (ids.length === 0) return [];
  const comps = tbl(sql, 'compositions');
  const statement =
    policy === 'mark'
      ? `UPDATE ${comps} SET deleted_at = now()
          WHERE id = ANY($1::text[]) AND template_id = $2 AND deleted_at IS NULL
         RETURNING ehr_id, template_id`
      : `DELETE FROM ${comps} WHERE id = ANY($1::text[]) AND template_id = $2 RETURNING ehr_id, template_id`;
  const res = await client.query<{ ehr_id: string; template_id: string }>(statement, [ids, templateId]);
  return res.rows.map((r) => ({ ehrId: r.ehr_id, templateId: r.template_id }));
}
