import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, storedRows, tomlFor } from './harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let toml: string;

beforeAll(async () => {
  sim = await startSim({ seed: 11, ehrs: 30, compositions: 600, auth: 'basic' });
  templates = sim.control.templateIds().slice(0, 3);
  db = await createTestDatabase();
  toml = tomlFor(sim, db.url, templates);
});
afterAll(async () => {
  await sim?.close();
});

describe('full export', () => {
  it('stores every live composition exactly as the source serves it', async () => {
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    const total = await expectExactEquality(sim, db.pool, templates, expect);
    expect(total).toBeGreaterThan(100);
    const inserted = summary.templates.reduce((n, t) => n + t.counts.inserted, 0);
    expect(inserted).toBe(total);
    for (const t of summary.templates) expect(t.discoveryMode).toBe('commit_time');
  });

  it('keys rows by versioned-object id, watermarks by template::ehr, and records the run and cursor', async () => {
    const rows = await storedRows(db.pool);
    for (const r of rows.values()) expect(r.composition_uid.startsWith(`${r.id}::`)).toBe(true);
    const wm = await db.pool.query<{
      id: string;
      template_id: string;
      ehr_id: string;
      last_export_status: string;
      n: string;
    }>(
      'SELECT id, template_id, ehr_id, last_export_status, compositions_exported_count AS n FROM watermarks',
    );
    expect(wm.rowCount).toBeGreaterThan(0);
    for (const w of wm.rows) {
      expect(w.id).toBe(`${w.template_id}::${w.ehr_id}`);
      expect(w.last_export_status).toBe('completed');
    }
    const perPair = await db.pool.query<{ template_id: string; ehr_id: string; n: string }>(
      'SELECT template_id, ehr_id, count(*) AS n FROM compositions GROUP BY 1, 2',
    );
    expect(perPair.rowCount).toBe(wm.rowCount);
    const runs = await db.pool.query<{ status: string; compositions_written: string }>(
      'SELECT status, compositions_written FROM export_runs',
    );
    expect(runs.rows).toEqual([{ status: 'completed', compositions_written: String(rows.size) }]);
    const cursors = await db.pool.query<{ template_id: string; cursor_uid: string }>(
      'SELECT template_id, cursor_uid FROM export_cursors',
    );
    for (const t of templates) {
      const last = [...sim.control.liveCompositions(t)].at(-1)!;
      expect(cursors.rows.find((c) => c.template_id === t)?.cursor_uid).toBe(last.uid);
    }
  });

  it('a second full run rewrites nothing and reconciles deletions', async () => {
    const victim = [...sim.control.liveCompositions(templates[0]!)][5]!;
    sim.control.delete(victim.objectId);
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    const counts = summary.templates.map((t) => t.counts);
    expect(counts.reduce((n, c) => n + c.inserted + c.updated, 0)).toBe(0);
    expect(counts.reduce((n, c) => n + c.deleted, 0)).toBe(1);
    await expectExactEquality(sim, db.pool, templates, expect);
    const rows = await storedRows(db.pool, templates[0]);
    expect(rows.get(victim.objectId)?.deleted).toBe(true);
  });

  it('reconciles from its own discovery when that listed every live composition, and lists them otherwise', async () => {
    // Unbounded: the discovery's ids are the live set. Bounded (--since, even one before every commit): the
    // discovery proves nothing about compositions outside the window, so the live set is listed again.
    const aqlOf = async (flags: Parameters<typeof runExport>[1]) => {
      sim.control.resetStats();
      const summary = await runExport(toml, flags);
      expect(summary.status).toBe('completed');
      return {
        aql: sim.control.stats().aql,
        deleted: summary.templates.reduce((n, t) => n + t.counts.deleted, 0),
      };
    };
    const first = [...sim.control.liveCompositions(templates[2]!)][7]!;
    sim.control.delete(first.objectId);
    const unbounded = await aqlOf({ flags: { mode: 'full' } });
    const second = [...sim.control.liveCompositions(templates[2]!)][9]!;
    sim.control.delete(second.objectId);
    const bounded = await aqlOf({ flags: { mode: 'full', since: '2000-01-01T00:00:00Z' } });
    expect(unbounded.deleted).toBe(1);
    expect(bounded.deleted).toBe(1);
    // The listing is at least one AQL page per template (batch_size 100 here).
    let listingPages = 0;
    for (const t of templates)
      listingPages += Math.floor([...sim.control.liveCompositions(t)].length / 100) + 1;
    expect(bounded.aql - unbounded.aql).toBe(listingPages);
    const rows = await storedRows(db.pool, templates[2]);
    expect(rows.get(first.objectId)?.deleted).toBe(true);
    expect(rows.get(second.objectId)?.deleted).toBe(true);
    await expectExactEquality(sim, db.pool, templates, expect);
  });

  it('export.deletions = "delete" removes the rows instead of marking them', async () => {
    const victim = [...sim.control.liveCompositions(templates[1]!)][3]!;
    sim.control.delete(victim.objectId);
    const summary = await runExport(tomlFor(sim, db.url, templates, ''), {
      flags: { mode: 'full', deletions: 'delete' },
    });
    expect(summary.status).toBe('completed');
    const rows = await storedRows(db.pool, templates[1]);
    expect(rows.has(victim.objectId)).toBe(false);
    await expectExactEquality(sim, db.pool, templates, expect);
  });
});
