import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { openStore } from '../../../src/store/index.js';
import { contextFor, runExport, startSim, sumCounts, tomlFor } from './harness.js';

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  sim = await startSim({ seed: 55, ehrs: 10, compositions: 150 });
  templates = sim.control.templateIds().slice(0, 2);
});
afterAll(async () => {
  await sim?.close();
});

/** The same TOML as for PostgreSQL, with the embedded database instead of [postgresql]. */
function embeddedToml(path: string): string {
  const pg = tomlFor(sim, 'postgresql://unused@127.0.0.1/unused', templates);
  return pg
    .replace('database_target = "postgresql"', 'database_target = "embedded"')
    .replace(/\[postgresql\]\nconnection_string = "[^"]*"\n/, `[embedded]\npath = "${path}"\n`);
}

describe('export into the embedded database', () => {
  it('dry run creates nothing; export, incremental and full runs store exactly the source', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'atlas-embedded-')), 'db');
    const toml = embeddedToml(path);
    const dry = await runExport(toml, { flags: { dryRun: true } });
    expect(dry.dryRun).toBe(true);
    expect(sumCounts(dry, 'inserted')).toBeGreaterThan(0);
    expect(existsSync(path)).toBe(false);

    const first = await runExport(toml);
    expect(first.status).toBe('completed');
    sim.control.advanceClock(60_000);
    const added = sim.control.commit(templates[0]!);
    const victim = [...sim.control.liveCompositions(templates[1]!)][0]!;
    sim.control.delete(victim.objectId);
    const second = await runExport(toml, { flags: { mode: 'full' } });
    expect(sumCounts(second, 'inserted')).toBe(1);
    expect(sumCounts(second, 'deleted')).toBe(1);

    const ctx = { ...(await contextFor(toml)), logger: pino({ level: 'silent' }) };
    const store = await openStore(ctx);
    try {
      for (const t of templates) {
        const { rows } = await store.query<{ id: string; composition_uid: string; content: unknown }>(
          'SELECT id, composition_uid, content FROM compositions WHERE template_id = $1 AND deleted_at IS NULL',
          [t],
        );
        const live = [...sim.control.liveCompositions(t)];
        expect(rows).toHaveLength(live.length);
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const c of live) {
          expect(byId.get(c.objectId)?.composition_uid).toBe(c.uid);
          const content = byId.get(c.objectId)?.content;
          expect(typeof content === 'string' ? JSON.parse(content) : content).toEqual(
            sim.control.getFlat(c.uid),
          );
        }
      }
      expect(
        (await store.query('SELECT 1 FROM compositions WHERE id = $1', [added.objectId])).rows,
      ).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
