import type pg from 'pg';
import type { CompositionRow } from '../types.js';
import type { SqlContext } from './sql-context.js';

/** One row the upsert actually wrote (unchanged rows are not returned). */
export interface WrittenRow {
  id: string;
  ehrId: string;
  templateId: string;
  inserted: boolean;
}

/** Writes composition rows inside the caller's transaction; two implementations (multi-row INSERT, COPY). */
export type CompositionWriter = (
  client: pg.ClientBase,
  sql: SqlContext,
  rows: CompositionRow[],
) => Promise<WrittenRow[]>;

/** Target columns, in the order both writers supply them. */
export const UPSERT_COLUMNS =
  'id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, checksum, atlas_version, exported_at, deleted_at';

/**
 * The conflict rule shared by both writers: a stored row is rewritten only when the version or the checksum
 * changed, or when it had been marked deleted (it is back). An unchanged row is left alone: no new tuple, no
 * WAL, no index churn, and it is absent from RETURNING, which is how the caller counts it as unchanged.
 * `xmax = 0` on the returned tuple means it was freshly inserted rather than updated.
 */
export const ON_CONFLICT_RETURNING = `
  ON CONFLICT (id) DO UPDATE SET
    ehr_id = EXCLUDED.ehr_id, composition_uid = EXCLUDED.composition_uid, template_id = EXCLUDED.template_id,
    time_committed = EXCLUDED.time_committed, content = EXCLUDED.content, export_mode = EXCLUDED.export_mode,
    checksum = EXCLUDED.checksum, atlas_version = EXCLUDED.atlas_version, exported_at = now(), deleted_at = NULL
  WHERE c.composition_uid IS DISTINCT FROM EXCLUDED.composition_uid
     OR c.checksum IS DISTINCT FROM EXCLUDED.checksum
     OR c.deleted_at IS NOT NULL
  RETURNING c.id, c.ehr_id, c.template_id, (c.xmax = 0) AS inserted`;

export function toWritten(
  rows: Array<{ id: string; ehr_id: string; template_id: string; inserted: boolean }>,
) {
  return rows.map((r) => ({ id: r.id, ehrId: r.ehr_id, templateId: r.template_id, inserted: r.inserted }));
}
