-- Atlas PostgreSQL schema, migration 001: compositions and watermarks.
--
-- The schema of the original Atlas (seed migrations/README.md, Version 1.0.0), table for table and
-- column for column. Runnable on its own (`psql -v ON_ERROR_STOP=1 -f migrations/001_initial_schema.sql`)
-- any number of times: every statement is IF NOT EXISTS or a COMMENT. Names are unqualified; Atlas's
-- migrator runs it with `SET LOCAL search_path` set to the configured schema (default public) and records
-- it in atlas_schema_migrations.
--
-- Departure from the original file: no `CREATE EXTENSION "uuid-ossp"` (nothing used it, it needs extra
-- privileges, and the embedded PGlite database does not ship it). See migrations/README.md.

BEGIN;

-- ============================================================================
-- compositions: one row per composition (versioned object), latest exported version
-- ============================================================================
CREATE TABLE IF NOT EXISTS compositions (
    id TEXT PRIMARY KEY,
    ehr_id TEXT NOT NULL,
    composition_uid TEXT NOT NULL,
    template_id TEXT NOT NULL,
    time_committed TIMESTAMPTZ NOT NULL,
    content JSONB NOT NULL,
    export_mode TEXT NOT NULL,
    exported_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    atlas_version TEXT NOT NULL,
    checksum TEXT,
    CONSTRAINT valid_export_mode CHECK (export_mode IN ('preserve', 'flatten'))
);

CREATE INDEX IF NOT EXISTS idx_compositions_ehr_id ON compositions (ehr_id);
CREATE INDEX IF NOT EXISTS idx_compositions_template_id ON compositions (template_id);
CREATE INDEX IF NOT EXISTS idx_compositions_time_committed ON compositions (time_committed);
-- Incremental sync and per-patient queries.
CREATE INDEX IF NOT EXISTS idx_compositions_ehr_template ON compositions (ehr_id, template_id, time_committed);
-- JSON containment queries on the content (content @> '{"key": value}').
CREATE INDEX IF NOT EXISTS idx_compositions_content ON compositions USING GIN (content);

-- ============================================================================
-- watermarks: export state per {template_id, ehr_id}
-- ============================================================================
CREATE TABLE IF NOT EXISTS watermarks (
    id TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    ehr_id TEXT NOT NULL,
    last_exported_timestamp TIMESTAMPTZ NOT NULL,
    last_exported_composition_uid TEXT,
    compositions_exported_count BIGINT NOT NULL DEFAULT 0,
    last_export_started_at TIMESTAMPTZ NOT NULL,
    last_export_completed_at TIMESTAMPTZ,
    last_export_status TEXT NOT NULL,
    CONSTRAINT valid_export_status CHECK (
        last_export_status IN ('in_progress', 'completed', 'failed', 'not_started')
    ),
    CONSTRAINT unique_template_ehr UNIQUE (template_id, ehr_id)
);

CREATE INDEX IF NOT EXISTS idx_watermarks_template_id ON watermarks (template_id);
CREATE INDEX IF NOT EXISTS idx_watermarks_ehr_id ON watermarks (ehr_id);
CREATE INDEX IF NOT EXISTS idx_watermarks_status ON watermarks (last_export_status);

-- ============================================================================
-- Comments (the seed's column descriptions; where Atlas's rule differs, the comment states Atlas's rule)
-- ============================================================================
COMMENT ON TABLE compositions IS
    'openEHR compositions exported by Atlas (FLAT JSON in content), one row per composition';
COMMENT ON COLUMN compositions.id IS
    'Primary key: versioned-object id of the composition (the uid before the first ::), stable across versions';
COMMENT ON COLUMN compositions.ehr_id IS 'EHR identifier';
COMMENT ON COLUMN compositions.composition_uid IS
    'Full version uid of the stored version ({uuid}::{system}::{version})';
COMMENT ON COLUMN compositions.template_id IS 'Template identifier';
COMMENT ON COLUMN compositions.time_committed IS 'Commit timestamp of the stored version';
COMMENT ON COLUMN compositions.content IS
    'Composition content in JSONB: FLAT JSON (preserve) or flattened key-value pairs (flatten), per export_mode';
COMMENT ON COLUMN compositions.export_mode IS 'preserve or flatten';
COMMENT ON COLUMN compositions.exported_at IS 'Export timestamp';
COMMENT ON COLUMN compositions.atlas_version IS 'Atlas version that exported this row';
COMMENT ON COLUMN compositions.checksum IS 'SHA-256 of the canonical JSON of content, for verification';

COMMENT ON TABLE watermarks IS 'Tracks incremental export state per {template_id, ehr_id} combination';
COMMENT ON COLUMN watermarks.id IS 'Generated ID: {template_id}::{ehr_id}';
COMMENT ON COLUMN watermarks.template_id IS 'Template identifier';
COMMENT ON COLUMN watermarks.ehr_id IS 'EHR identifier';
COMMENT ON COLUMN watermarks.last_exported_timestamp IS 'Commit time of the last exported composition';
COMMENT ON COLUMN watermarks.last_exported_composition_uid IS 'Version uid of the last exported composition';
COMMENT ON COLUMN watermarks.compositions_exported_count IS 'Count of exported compositions';
COMMENT ON COLUMN watermarks.last_export_started_at IS 'Export start time';
COMMENT ON COLUMN watermarks.last_export_completed_at IS 'Export completion time (NULL if in progress)';
COMMENT ON COLUMN watermarks.last_export_status IS 'in_progress, completed, failed or not_started';

COMMIT;
