import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exitCodeOf } from '../../../src/export/summary.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { runExport, startSim, tomlFor } from './harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let toml: string;

beforeAll(async () => {
  sim = await startSim({ seed: 13, ehrs: 10, compositions: 150 });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase();
  toml = tomlFor(
    sim,
    db.url,
    templates,
    '[verification]\nenable_verification = true\n\n[views]\nenabled = true\n',
  );
});
afterAll(async () => {
  await sim?.close();
});

describe('after the export', () => {
  it('regenerates the views of the templates that changed and verifies source against target', async () => {
    const summary = await runExport(toml);
    expect(summary.status).toBe('completed');
    expect(summary.verification).toEqual({
      consistent: true,
      summary: expect.stringContaining('Verification: consistent'),
    });
    expect(summary.views?.regenerated.sort()).toEqual([...templates].sort());
    expect(summary.views?.failed).toEqual([]);
    const views = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_views WHERE schemaname = 'atlas_views'",
    );
    expect(views.rows[0]!.n).toBeGreaterThanOrEqual(templates.length);
    expect(exitCodeOf(summary, 130)).toBe(0);
  });

  it('a run that writes nothing regenerates no views; a verification difference makes it exit 1', async () => {
    const victim = [...sim.control.liveCompositions(templates[0]!)][0]!;
    await db.pool.query('DELETE FROM compositions WHERE id = $1', [victim.objectId]);
    const summary = await runExport(toml);
    expect(summary.views).toBeUndefined();
    expect(summary.verification?.consistent).toBe(false);
    expect(summary.verification?.summary).toContain('missing 1');
    expect(exitCodeOf(summary, 130)).toBe(1);
  });
});
