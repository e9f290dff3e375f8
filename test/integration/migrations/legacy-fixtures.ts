import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

/**
 * Realistic databases written by earlier Atlas layouts, full of rows, for the in-place upgrade tests.
 * Contents are real EHRbase FLAT compositions from the shared fixtures, varied per row.
 */
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(
      join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'compositions', 'flat', name),
      'utf8',
    ),
  ) as Record<string, unknown>;

export const TEMPLATES = ['Corona_Anamnese', 'ehrbase_multi_occurrence.de.v1'] as const;

export function flatContent(template: (typeof TEMPLATES)[number], i: number): Record<string, unknown> {
  if (template === 'Corona_Anamnese') {
    return {
      ...fixture('corona.json'),
      'bericht/symptome/körpertemperatur/temperatur|magnitude': 36 + (i % 40) / 10,
    };
  }
  return {
    ...fixture('multi_occurrence.json'),
    'encounter/body_temperature:0/any_event:0/temperature|magnitude': 35.5 + (i % 50) / 10,
  };
}

/** Deterministic uuid-shaped ids. */
export const uuid = (kind: number, i: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

export const at = (minutes: number): string =>
  new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString();

/** Multi-row INSERT with numbered parameters. */
export async function insertRows(
  client: pg.ClientBase | pg.Pool,
  table: string,
  rows: Array<Record<string, unknown>>,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const cols = Object.keys(first);
  const params: unknown[] = [];
  const tuples = rows.map((r) => `(${cols.map((c) => `$${params.push(r[c])}`).join(', ')})`);
  await client.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${tuples.join(', ')}`, params);
}

/** Every row of a table as JSON (to_jsonb), keyed by a column. */
export async function rowsByKey(
  pool: pg.Pool,
  table: string,
  key: string,
): Promise<Map<string, Record<string, unknown>>> {
  const r = await pool.query<{ j: Record<string, unknown> }>(`SELECT to_jsonb(t) AS j FROM ${table} t`);
  return new Map(r.rows.map((row) => [String(row.j[key]), row.j]));
}

/** The manual schema of the original's docs/postgresql-setup.md: UUID ids, archetype_node_id, export_status, … */
export const SETUP_DOC_DDL = `
CREATE TABLE compositions (
    id UUID PRIMARY KEY,
    ehr_id UUID NOT NULL,
    template_id VARCHAR(255) NOT NULL,
    archetype_node_id VARCHAR(255) NOT NULL,
    time_committed TIMESTAMPTZ NOT NULL,
    content JSONB NOT NULL,
    export_mode VARCHAR(50) NOT NULL,
    exported_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE(id, ehr_id)
);
CREATE TABLE watermarks (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    template_id VARCHAR(255) NOT NULL,
    ehr_id UUID NOT NULL,
    last_composition_id UUID,
    last_time_committed TIMESTAMPTZ,
    last_export_time TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    export_status VARCHAR(50) NOT NULL DEFAULT 'in_progress',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE(template_id, ehr_id),
    CONSTRAINT valid_export_status CHECK (export_status IN ('not_started', 'in_progress', 'completed', 'failed'))
);
CREATE INDEX idx_compositions_ehr_id ON compositions(ehr_id);
CREATE INDEX idx_compositions_template_id ON compositions(template_id);
CREATE INDEX idx_compositions_time_committed ON compositions(time_committed);
CREATE INDEX idx_compositions_composite ON compositions(ehr_id, template_id, time_committed);
CREATE INDEX idx_compositions_content_gin ON compositions USING GIN (content);
CREATE INDEX idx_watermarks_template_id ON watermarks(template_id);
CREATE INDEX idx_watermarks_ehr_id ON watermarks(ehr_id);
CREATE INDEX idx_watermarks_composite ON watermarks(template_id, ehr_id);
CREATE INDEX idx_watermarks_status ON watermarks(export_status);
`;

/**
 * The layout the seed's troubleshooting section describes ("export_status instead of last_export_status, an
 * archetype_node_id column, no atlas_version/checksum", watermarks without the five export columns), with no
 * constraints and no indexes.
 */
export const SEED_TROUBLESHOOTING_DDL = `
CREATE TABLE compositions (
    id TEXT PRIMARY KEY,
    ehr_id TEXT NOT NULL,
    composition_uid TEXT NOT NULL,
    template_id TEXT NOT NULL,
    archetype_node_id TEXT NOT NULL,
    time_committed TIMESTAMPTZ NOT NULL,
    content JSONB NOT NULL,
    export_mode TEXT NOT NULL,
    exported_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE TABLE watermarks (
    id TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    ehr_id TEXT NOT NULL,
    export_status TEXT NOT NULL
);
`;
