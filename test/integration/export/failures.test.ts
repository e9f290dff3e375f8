import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exitCodeOf } from '../../../src/export/summary.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, tomlFor } from './harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let toml: string;

beforeAll(async () => {
  sim = await startSim({ seed: 5, ehrs: 20, compositions: 300, deleteRatio: 0 });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase();
  // No HTTP retries: an injected 500 fails the composition for good.
  toml = tomlFor(sim, db.url, templates).replace('max_retries = 6', 'max_retries = 0');
});
afterAll(async () => {
  await sim?.close();
});

interface FailedRow {
  id: string;
  template_id: string;
  reason: string;
  attempts: number;
}
const failedRows = async () =>
  (
    await db.pool.query<FailedRow>(
      'SELECT id, template_id, reason, attempts FROM failed_compositions ORDER BY id',
    )
  ).rows;

describe('compositions that fail', () => {
  it('are recorded with reason and attempts, listed in the summary, and the run exits 1', async () => {
    sim.control.setFaults({ endpoints: { composition: { errorRates: { 500: 0.2 } } } });
    const summary = await runExport(toml);
    expect(summary.status).toBe('completed_with_failures');
    expect(exitCodeOf(summary, 130)).toBe(1);
    const listed = summary.templates.flatMap((t) => t.failures);
    const rows = await failedRows();
    expect(listed.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id).sort()).toEqual(listed.map((f) => f.id).sort());
    for (const r of rows) {
      expect(r.attempts).toBe(1);
      expect(r.reason).toMatch(/^fetch: .*500/);
    }
    // The cursor went over the whole scan: the failures are what makes that safe.
    const cursors = await db.pool.query(
      'SELECT template_id, cursor_uid FROM export_cursors ORDER BY template_id',
    );
    for (const c of cursors.rows as Array<{ template_id: string; cursor_uid: string }>) {
      expect(c.cursor_uid).toBe([...sim.control.liveCompositions(c.template_id)].at(-1)?.uid);
    }
  });

  it('are retried first by the next run; still failing ones count another attempt', async () => {
    const before = await failedRows();
    sim.control.setFaults({ endpoints: { composition: { errorRates: { 500: 0.5 } } } });
    const summary = await runExport(toml);
    expect(summary.templates.reduce((n, t) => n + t.counts.retried, 0)).toBe(before.length);
    const after = await failedRows();
    for (const r of after) {
      const earlier = before.find((b) => b.id === r.id);
      expect(r.attempts).toBe(earlier ? earlier.attempts + 1 : 1);
    }
  });

  it('a failed composition deleted in the source meanwhile is resolved and, with --reconcile, marked deleted', async () => {
    const failing = await failedRows();
    expect(failing.length).toBeGreaterThan(0);
    const victim = failing[0]!;
    sim.control.delete(victim.id);
    sim.control.setFaults({ endpoints: { composition: { errorRates: { 500: 0 } } } });
    // The retry fetches the recorded version (still readable after the deletion); deletions are only
    // visible to a full run or --reconcile, which then marks the row.
    const summary = await runExport(toml, { reconcile: true });
    expect(summary.templates.reduce((n, t) => n + t.counts.retried, 0)).toBe(failing.length);
    expect((await failedRows()).map((r) => r.id)).not.toContain(victim.id);
    const row = await db.pool.query(
      'SELECT deleted_at IS NOT NULL AS deleted FROM compositions WHERE id = $1',
      [victim.id],
    );
    expect(row.rows).toEqual([{ deleted: true }]);
  });

  it('succeed once the source is healthy: nothing left failed, target equals source', async () => {
    sim.control.setFaults({ endpoints: { composition: { errorRates: { 500: 0 } } } });
    const summary = await runExport(toml);
    expect(summary.status).toBe('completed');
    expect(exitCodeOf(summary, 130)).toBe(0);
    expect(await failedRows()).toEqual([]);
    await expectExactEquality(sim, db.pool, templates, expect);
  });
});
