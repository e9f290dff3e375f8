import type pg from 'pg';
import { expect } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { compareCursorKeys } from '../../../src/export/cursor.js';

/**
 * Crash safety: every live composition at or before its template's committed cursor is stored at exactly
 * its live version, or recorded as failed. (Compositions after the cursor may or may not be stored yet.)
 */
export async function expectCursorCoverage(sim: Simulator, pool: pg.Pool): Promise<void> {
  const cursors = await pool.query<{ template_id: string; time: string; uid: string }>(
    `SELECT template_id, to_char(cursor_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time, cursor_uid AS uid FROM export_cursors`,
  );
  const stored = await pool.query<{ id: string; composition_uid: string }>(
    'SELECT id, composition_uid FROM compositions WHERE deleted_at IS NULL',
  );
  const failed = await pool.query<{ id: string }>('SELECT id FROM failed_compositions');
  const byId = new Map(stored.rows.map((r) => [r.id, r.composition_uid]));
  const failedIds = new Set(failed.rows.map((r) => r.id));
  for (const c of cursors.rows) {
    for (const live of sim.control.liveCompositions(c.template_id)) {
      if (compareCursorKeys({ time: live.timeCommitted, uid: live.uid }, c) > 0) continue;
      if (failedIds.has(live.objectId)) continue;
      expect(byId.get(live.objectId), `${live.uid} at or before the cursor of ${c.template_id}`).toBe(
        live.uid,
      );
    }
  }
}
