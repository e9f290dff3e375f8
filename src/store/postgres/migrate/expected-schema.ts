import { WATERMARK_STATUSES as STORE_WATERMARK_STATUSES } from '../../types.js';

/**
 * The schema migrations 001-003 (and 006's index) produce, column by column: what `atlas migrate status` compares against,
 * what the pre-flight check guards, and what the legacy-layout detection
 * upgrades older databases to. Tables of later migrations (004 web-template cache, 005 pseudonym map) are
 * checked for presence only unless their owners add a spec here. Types are spelled as format_type() does.
 */
export interface ColumnSpec {
  name: string;
  type: string;
  notNull: boolean;
  /** Expected default, normalised (see normaliseDefault). */
  default?: string;
  /** Migration that creates the column. */
  since: number;
}

export interface ConstraintSpec {
  kind: 'primary' | 'unique' | 'check';
  /** Fixed name (001's names are part of the seed); omitted = PostgreSQL's generated name. */
  name?: string;
  columns: string[];
  /** The constraint clause as in ALTER TABLE … ADD CONSTRAINT name <definition>. */
  definition: string;
  /** Check constraints: values the definition must mention (e.g. every allowed status). */
  mentions?: string[];
  since: number;
}

export interface IndexSpec {
  name: string;
  /** As pg_get_indexdef prints it after USING. */
  shape: string;
  since: number;
}

export interface TableSpec {
  name: string;
  since: number;
  columns: ColumnSpec[];
  constraints: ConstraintSpec[];
  indexes: IndexSpec[];
}

const tstz = 'timestamp with time zone';

const col = (name: string, type: string, notNull: boolean, since: number, def?: string): ColumnSpec =>
  def === undefined ? { name, type, notNull, since } : { name, type, notNull, since, default: def };

/** The statuses the watermarks table's CHECK constraint allows: exactly the store's own. */
export const WATERMARK_STATUSES: string[] = [...STORE_WATERMARK_STATUSES];
export const EXPORT_MODES = ['preserve', 'flatten'];

const inList = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export const EXPECTED_TABLES: readonly TableSpec[] = [
  {
    name: 'compositions',
    since: 1,
    columns: [
      col('id', 'text', true, 1),
      col('ehr_id', 'text', true, 1),
      col('composition_uid', 'text', true, 1),
      col('template_id', 'text', true, 1),
      col('time_committed', tstz, true, 1),
      col('content', 'jsonb', true, 1),
      col('export_mode', 'text', true, 1),
      col('exported_at', tstz, true, 1, 'now()'),
      col('atlas_version', 'text', true, 1),
      col('checksum', 'text', false, 1),
      col('deleted_at', tstz, false, 3),
    ],
    constraints: [
      { kind: 'primary', columns: ['id'], definition: 'PRIMARY KEY (id)', since: 1 },
      {
        kind: 'check',
        name: 'valid_export_mode',
        columns: ['export_mode'],
        definition: `CHECK (export_mode IN (${inList(EXPORT_MODES)}))`,
        mentions: EXPORT_MODES,
        since: 1,
      },
    ],
    indexes: [
      { name: 'idx_compositions_ehr_id', shape: 'btree (ehr_id)', since: 1 },
      { name: 'idx_compositions_template_id', shape: 'btree (template_id)', since: 1 },
      { name: 'idx_compositions_time_committed', shape: 'btree (time_committed)', since: 1 },
      {
        name: 'idx_compositions_ehr_template',
        shape: 'btree (ehr_id, template_id, time_committed)',
        since: 1,
      },
      { name: 'idx_compositions_content', shape: 'gin (content)', since: 1 },
      { name: 'idx_compositions_template_id_id', shape: 'btree (template_id, id)', since: 6 },
    ],
  },
  {
    name: 'watermarks',
    since: 1,
    columns: [
      col('id', 'text', true, 1),
      col('template_id', 'text', true, 1),
      col('ehr_id', 'text', true, 1),
      col('last_exported_timestamp', tstz, true, 1),
      col('last_exported_composition_uid', 'text', false, 1),
      col('compositions_exported_count', 'bigint', true, 1, '0'),
      col('last_export_started_at', tstz, true, 1),
      col('last_export_completed_at', tstz, false, 1),
      col('last_export_status', 'text', true, 1),
      col('last_run_id', 'bigint', false, 3),
    ],
    constraints: [
      { kind: 'primary', columns: ['id'], definition: 'PRIMARY KEY (id)', since: 1 },
      {
        kind: 'check',
        name: 'valid_export_status',
        columns: ['last_export_status'],
        definition: `CHECK (last_export_status IN (${inList(WATERMARK_STATUSES)}))`,
        mentions: WATERMARK_STATUSES,
        since: 2,
      },
      {
        kind: 'unique',
        name: 'unique_template_ehr',
        columns: ['template_id', 'ehr_id'],
        definition: 'UNIQUE (template_id, ehr_id)',
        since: 1,
      },
    ],
    indexes: [
      { name: 'idx_watermarks_template_id', shape: 'btree (template_id)', since: 1 },
      { name: 'idx_watermarks_ehr_id', shape: 'btree (ehr_id)', since: 1 },
      { name: 'idx_watermarks_status', shape: 'btree (last_export_status)', since: 1 },
    ],
  },
  {
    name: 'export_cursors',
    since: 3,
    columns: [
      col('template_id', 'text', true, 3),
      col('cursor_time', tstz, true, 3),
      col('cursor_uid', 'text', true, 3),
      col('discovery_mode', 'text', true, 3),
      col('updated_at', tstz, true, 3, 'now()'),
      col('last_run_id', 'bigint', false, 3),
    ],
    constraints: [
      { kind: 'primary', columns: ['template_id'], definition: 'PRIMARY KEY (template_id)', since: 3 },
      {
        kind: 'check',
        columns: ['discovery_mode'],
        definition: "CHECK (discovery_mode IN ('commit_time', 'clinical_time'))",
        mentions: ['commit_time', 'clinical_time'],
        since: 3,
      },
    ],
    indexes: [],
  },
  {
    name: 'export_runs',
    since: 3,
    columns: [
      col('id', 'bigint', true, 3, "nextval('export_runs_id_seq')"),
      col('started_at', tstz, true, 3, 'now()'),
      col('finished_at', tstz, false, 3),
      col('mode', 'text', true, 3),
      col('template_ids', 'text[]', true, 3),
      col('dry_run', 'boolean', true, 3, 'false'),
      col('status', 'text', true, 3, "'running'"),
      col('compositions_written', 'bigint', true, 3, '0'),
      col('compositions_unchanged', 'bigint', true, 3, '0'),
      col('compositions_deleted', 'bigint', true, 3, '0'),
      col('compositions_failed', 'bigint', true, 3, '0'),
      col('atlas_version', 'text', true, 3),
      col('error', 'text', false, 3),
      col('details', 'jsonb', false, 3),
    ],
    constraints: [
      { kind: 'primary', columns: ['id'], definition: 'PRIMARY KEY (id)', since: 3 },
      {
        kind: 'check',
        columns: ['status'],
        definition: 'CHECK (status IN (…))',
        mentions: ['running', 'completed', 'completed_with_failures', 'failed', 'interrupted'],
        since: 3,
      },
    ],
    indexes: [],
  },
  {
    name: 'failed_compositions',
    since: 3,
    columns: [
      col('id', 'text', true, 3),
      col('template_id', 'text', true, 3),
      col('ehr_id', 'text', true, 3),
      col('composition_uid', 'text', true, 3),
      col('time_committed', tstz, true, 3),
      col('reason', 'text', true, 3),
      col('attempts', 'integer', true, 3, '1'),
      col('first_failed_at', tstz, true, 3, 'now()'),
      col('last_failed_at', tstz, true, 3, 'now()'),
      col('last_run_id', 'bigint', false, 3),
    ],
    constraints: [
      {
        kind: 'primary',
        columns: ['template_id', 'id'],
        definition: 'PRIMARY KEY (template_id, id)',
        since: 3,
      },
    ],
    indexes: [],
  },
];

/** Defaults as PostgreSQL prints them, reduced to compare: no casts, no schema qualification, lower case. */
export function normaliseDefault(expr: string | null | undefined): string | null {
  if (expr === null || expr === undefined) return null;
  return expr
    .toLowerCase()
    .replace(/::[a-z_ ]+(\[\])?/g, '')
    .replace(/^nextval\('(?:[^']*\.)?"?([^'."]+)"?'\)$/, "nextval('$1')")
    .trim();
}

export function tableSpec(name: string): TableSpec | undefined {
  return EXPECTED_TABLES.find((t) => t.name === name);
}
