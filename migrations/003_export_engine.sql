-- Atlas PostgreSQL schema, migration 003: what the export engine needs beyond the original schema.
--
-- Tombstones for compositions gone from the source, a resumable cursor per template (committed in the same
-- transaction as each batch), a record of every run, and the compositions that failed for good (retried by
-- the next run instead of being skipped past). Idempotent: IF NOT EXISTS everywhere.

BEGIN;

ALTER TABLE compositions ADD COLUMN IF NOT EXISTS deleted_at TIMESTAMPTZ;
COMMENT ON COLUMN compositions.deleted_at IS
    'When the composition was found deleted in the source (tombstone); NULL = live';

ALTER TABLE watermarks ADD COLUMN IF NOT EXISTS last_run_id BIGINT;
COMMENT ON COLUMN watermarks.last_run_id IS 'export_runs.id of the run that last wrote this watermark';

CREATE TABLE IF NOT EXISTS export_cursors (
    template_id TEXT PRIMARY KEY,
    cursor_time TIMESTAMPTZ NOT NULL,
    cursor_uid TEXT NOT NULL,
    discovery_mode TEXT NOT NULL CHECK (discovery_mode IN ('commit_time', 'clinical_time')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_run_id BIGINT
);
COMMENT ON TABLE export_cursors IS
    'Per-template discovery cursor: everything up to (cursor_time, cursor_uid) is exported; advanced with each batch';
COMMENT ON COLUMN export_cursors.template_id IS 'Template identifier';
COMMENT ON COLUMN export_cursors.cursor_time IS 'Time of the last exported change (commit time or clinical time)';
COMMENT ON COLUMN export_cursors.cursor_uid IS 'Version uid at cursor_time (tie-breaker for equal times)';
COMMENT ON COLUMN export_cursors.discovery_mode IS
    'commit_time (VERSION/commit_audit/time_committed) or clinical_time (context/start_time fallback)';
COMMENT ON COLUMN export_cursors.updated_at IS 'When the cursor last moved';
COMMENT ON COLUMN export_cursors.last_run_id IS 'export_runs.id of the run that last moved the cursor';

CREATE TABLE IF NOT EXISTS export_runs (
    id BIGSERIAL PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    mode TEXT NOT NULL,
    template_ids TEXT[] NOT NULL,
    dry_run BOOLEAN NOT NULL DEFAULT false,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'completed_with_failures', 'failed', 'interrupted')),
    compositions_written BIGINT NOT NULL DEFAULT 0,
    compositions_unchanged BIGINT NOT NULL DEFAULT 0,
    compositions_deleted BIGINT NOT NULL DEFAULT 0,
    compositions_failed BIGINT NOT NULL DEFAULT 0,
    atlas_version TEXT NOT NULL,
    error TEXT,
    details JSONB
);
COMMENT ON TABLE export_runs IS 'One row per export run: what was asked, what happened, counts';
COMMENT ON COLUMN export_runs.id IS 'Run number';
COMMENT ON COLUMN export_runs.started_at IS 'Run start time';
COMMENT ON COLUMN export_runs.finished_at IS 'Run end time (NULL while running or if the process died)';
COMMENT ON COLUMN export_runs.mode IS 'full or incremental';
COMMENT ON COLUMN export_runs.template_ids IS 'Templates the run exported';
COMMENT ON COLUMN export_runs.dry_run IS 'true when nothing was written';
COMMENT ON COLUMN export_runs.status IS 'running, completed, completed_with_failures, failed or interrupted';
COMMENT ON COLUMN export_runs.compositions_written IS 'Compositions inserted or updated';
COMMENT ON COLUMN export_runs.compositions_unchanged IS 'Compositions found identical to the stored version';
COMMENT ON COLUMN export_runs.compositions_deleted IS 'Compositions marked deleted or removed';
COMMENT ON COLUMN export_runs.compositions_failed IS 'Compositions that failed for good (see failed_compositions)';
COMMENT ON COLUMN export_runs.atlas_version IS 'Atlas version that ran';
COMMENT ON COLUMN export_runs.error IS 'Error that ended the run, if any';
COMMENT ON COLUMN export_runs.details IS 'Per-template figures and settings of the run (JSON)';

CREATE TABLE IF NOT EXISTS failed_compositions (
    id TEXT NOT NULL,
    template_id TEXT NOT NULL,
    ehr_id TEXT NOT NULL,
    composition_uid TEXT NOT NULL,
    time_committed TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    first_failed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_failed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_run_id BIGINT,
    PRIMARY KEY (template_id, id)
);
COMMENT ON TABLE failed_compositions IS
    'Compositions that failed for good; retried by every later run until they succeed or disappear';
COMMENT ON COLUMN failed_compositions.id IS 'Versioned-object id (as compositions.id)';
COMMENT ON COLUMN failed_compositions.template_id IS 'Template identifier';
COMMENT ON COLUMN failed_compositions.ehr_id IS 'EHR identifier';
COMMENT ON COLUMN failed_compositions.composition_uid IS 'Version uid that failed';
COMMENT ON COLUMN failed_compositions.time_committed IS 'Commit time of the version that failed';
COMMENT ON COLUMN failed_compositions.reason IS 'Why it failed (no patient data)';
COMMENT ON COLUMN failed_compositions.attempts IS 'Number of runs in which it failed';
COMMENT ON COLUMN failed_compositions.first_failed_at IS 'First failure';
COMMENT ON COLUMN failed_compositions.last_failed_at IS 'Latest failure';
COMMENT ON COLUMN failed_compositions.last_run_id IS 'export_runs.id of the latest failing run';

COMMIT;
