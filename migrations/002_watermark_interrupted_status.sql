-- Atlas PostgreSQL schema, migration 002: watermarks may be 'interrupted'.
--
-- A run stopped by SIGINT/SIGTERM marks the watermarks it touched 'interrupted'. The original Atlas had the
-- status in its code but not in the CHECK constraint (reference bug B8), so writing it would have failed.
-- Idempotent: the constraint is dropped (if present) and recreated with the full set.

BEGIN;

ALTER TABLE watermarks DROP CONSTRAINT IF EXISTS valid_export_status;
ALTER TABLE watermarks ADD CONSTRAINT valid_export_status CHECK (
    last_export_status IN ('in_progress', 'completed', 'failed', 'interrupted', 'not_started')
);

COMMENT ON COLUMN watermarks.last_export_status IS 'in_progress, completed, failed, interrupted or not_started';

COMMIT;
