import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exitCodeOf } from '../../../src/export/summary.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, tomlFor } from '../export/harness.js';

/**
 * A server that lists a version with a commit time nobody can read (a damaged audit record): that version is
 * the run's failure, recorded with the reason, never a row silently dropped with exit 0; the cursor stays on
 * readable times, and once the server lists a readable time a full run stores it.
 */
let sim: Simulator;
let db: TestDatabase;
let templateId: string;
let toml: string;
let garbled: Array<{ uid: string; objectId: string; realTime: string }>;

const failedRows = async () =>
  (
    await db.pool.query<{ id: string; reason: string; attempts: number }>(
      'SELECT id, reason, attempts FROM failed_compositions ORDER BY id',
    )
  ).rows;

beforeAll(async () => {
  sim = await startSim({ seed: 12, ehrs: 10, compositions: 900, deleteRatio: 0 });
  templateId = sim.control.templateIds()[0]!;
  db = await createTestDatabase();
  toml = tomlFor(sim, db.url, [templateId]);
  const live = [...sim.control.liveCompositions(templateId)];
  const picks = [live[Math.floor(live.length / 3)]!, live[Math.floor((2 * live.length) / 3)]!];
  garbled = picks.map((c) => ({ uid: c.uid, objectId: c.objectId, realTime: c.timeCommitted }));
  sim.control.garbleCommitTime(picks[0]!.uid, 'yesterday, around noon');
  sim.control.garbleCommitTime(picks[1]!.uid, '');
});

afterAll(async () => {
  await sim?.close();
});

describe('a version listed with an unreadable commit time', () => {
  it("is that version's failure with the reason: everything else is stored and the run exits 1", async () => {
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed_with_failures');
    expect(exitCodeOf(summary, 130)).toBe(1);
    const rows = await failedRows();
    expect(rows.map((r) => r.id).sort()).toEqual(garbled.map((g) => g.objectId).sort());
    for (const r of rows)
      expect(r.reason).toMatch(/listed this version with the time .*not an ISO-8601 instant/);
    expect(rows.find((r) => r.id === garbled[0]!.objectId)?.reason).toContain('"yesterday, around noon"');
    const stored = await db.pool.query<{ id: string }>('SELECT id FROM compositions WHERE template_id = $1', [
      templateId,
    ]);
    const live = [...sim.control.liveCompositions(templateId)];
    expect(stored.rowCount).toBe(live.length - garbled.length);
    expect(stored.rows.some((r) => garbled.some((g) => g.objectId === r.id))).toBe(false);
    // The cursor moved over the whole scan, on readable times only.
    const cursor = await db.pool.query<{ cursor_uid: string }>(
      'SELECT cursor_uid FROM export_cursors WHERE template_id = $1',
      [templateId],
    );
    expect(cursor.rows[0]?.cursor_uid).toBe(live.at(-1)?.uid);
  });

  it('stays a failure on the next runs (another attempt each), not fetched with a made-up time', async () => {
    const summary = await runExport(toml);
    expect(exitCodeOf(summary, 130)).toBe(1);
    const rows = await failedRows();
    expect(rows.map((r) => r.attempts)).toEqual([2, 2]);
  });

  it('once the server lists a readable time, a full run stores it and resolves the failure', async () => {
    for (const g of garbled) sim.control.garbleCommitTime(g.uid, g.realTime);
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    expect(await failedRows()).toEqual([]);
    await expectExactEquality(sim, db.pool, [templateId], expect);
    const times = await db.pool.query<{ id: string; t: string }>(
      `SELECT id, to_char(time_committed AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS t
         FROM compositions WHERE id = ANY($1)`,
      [garbled.map((g) => g.objectId)],
    );
    for (const g of garbled) {
      expect(times.rows.find((r) => r.id === g.objectId)?.t).toBe(
        new Date(g.realTime).toISOString().slice(0, 19),
      );
    }
  });
});
