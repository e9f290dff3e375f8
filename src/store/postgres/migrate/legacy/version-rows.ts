import type { LegacyChange } from '../types.js';
import { column, type LegacyCheck, probeTable, probeText, q } from './model.js';

export const LEGACY_VERSIONS_TABLE = 'compositions_legacy_versions';

/**
 * Older layouts stored the full version uid (`uuid::system::n`) as compositions.id, one row per
 * version. Atlas's rule is one row per composition: id = the versioned-object uuid (before the first `::`),
 * composition_uid = the version uid of the latest stored version. The latest version of each object stays
 * (id shortened; its full uid is in composition_uid); every superseded version row moves, unchanged, to
 * compositions_legacy_versions (same columns), so no row is lost. "Latest" = highest version number in
 * composition_uid, then latest time_committed.
 */
export const foldVersionRows: LegacyCheck = async (ctx) => {
  const table = ctx.tables.get('compositions');
  const id = table && column(table, 'id');
  if (!table || !id || table.rows === 0) return [];
  const uid = column(table, 'composition_uid');
  const uidProbe = uid && !uid.added ? `${q(uid.original)}::text` : null;
  const [probe] = await ctx.probe<{ version_rows: string; objects: string; uid_differs: string }>(
    `SELECT count(*) AS version_rows,
            count(DISTINCT split_part(${probeText(id)}, '::', 1)) AS objects,
            count(*) FILTER (WHERE ${uidProbe ? `${uidProbe} IS DISTINCT FROM ${probeText(id)}` : 'false'}) AS uid_differs
       FROM ${probeTable(ctx, table)} WHERE ${probeText(id)} LIKE '%::%'`,
  );
  const versionRows = Number(probe?.version_rows ?? 0);
  if (versionRows === 0) return [];
  const changes: LegacyChange[] = [];
  if (Number(probe?.uid_differs ?? 0) > 0 && !column(table, 'legacy_id')) {
    changes.push({
      check: 'keep-legacy-id',
      description: `compositions: ${probe?.uid_differs} version row(s) have a composition_uid different from their id; keep the old id in legacy_id`,
      sql: [
        'ALTER TABLE compositions ADD COLUMN legacy_id text',
        `UPDATE compositions SET legacy_id = id WHERE id LIKE '%::%' AND composition_uid IS DISTINCT FROM id`,
      ],
    });
    table.columns.push({
      name: 'legacy_id',
      original: 'legacy_id',
      type: 'text',
      notNull: false,
      default: null,
      added: true,
    });
  }
  const cols = table.columns.map((c) => q(c.name)).join(', ');
  const ranked = `SELECT id, row_number() OVER (
        PARTITION BY split_part(id, '::', 1)
        ORDER BY COALESCE(substring(split_part(composition_uid, '::', 3) FROM '^[0-9]+')::bigint, 0) DESC,
                 time_committed DESC, id DESC) AS rn
      FROM compositions`;
  changes.push({
    check: 'fold-version-rows',
    description:
      `compositions: ${versionRows} row(s) use a version uid as id (the original's one-row-per-version layout, ` +
      `${probe?.objects} compositions); keep the latest version of each with id = versioned-object uuid and move ` +
      `superseded versions unchanged to ${LEGACY_VERSIONS_TABLE}`,
    sql: [
      `CREATE TABLE IF NOT EXISTS ${LEGACY_VERSIONS_TABLE} (LIKE compositions INCLUDING DEFAULTS, PRIMARY KEY (id))`,
      `COMMENT ON TABLE ${LEGACY_VERSIONS_TABLE} IS 'Superseded composition versions kept from a one-row-per-version layout (id = version uid)'`,
      `WITH ranked AS (${ranked}),
     moved AS (DELETE FROM compositions c USING ranked r WHERE c.id = r.id AND r.rn > 1 RETURNING c.*)
INSERT INTO ${LEGACY_VERSIONS_TABLE} (${cols}) SELECT ${cols} FROM moved`,
      `UPDATE compositions SET id = split_part(id, '::', 1) WHERE id LIKE '%::%'`,
    ],
  });
  return changes;
};
