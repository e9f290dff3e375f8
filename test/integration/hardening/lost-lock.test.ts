import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exitCodeOf } from '../../../src/export/index.js';
import { advisoryKey } from '../../../src/store/postgres/advisory-lock.js';
import { adminQuery, createTestDatabase } from '../../support/db.js';
import { runExport, startSim, storedRows, tomlFor } from '../export/harness.js';

// Issue 16, item 5: when the connection holding a template's advisory lock dies, that template's export
// stops (nothing more of it commits), it is reported failed with the reason, and the run goes on with the
// other templates; the unlock on the dead connection does not abort the run.

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  sim = await startSim({ seed: 55, ehrs: 10, compositions: 400 });
  templates = sim.control.templateIds().slice(0, 2);
});
afterAll(async () => {
  await sim?.close();
});

/** pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32 bits). */
function lockParts(key: string): [number, number] {
  const k = BigInt.asUintN(64, BigInt(key));
  return [Number(k >> 32n), Number(k & 0xffffffffn)];
}

describe('a lost template lock (issue 16, item 5)', () => {
  it('stops that template (reported failed with the reason); the other template is exported', async () => {
    const db = await createTestDatabase();
    sim.control.setFaults({ endpoints: { composition: { latencyMs: 15 } } });
    const toml = tomlFor(sim, db.url, templates)
      .replace('parallel_ehrs = 8', 'parallel_ehrs = 2')
      .replace('batch_size = 100', 'batch_size = 100');
    const [classid, objid] = lockParts(advisoryKey('public', templates[0]!));
    let killed = false;
    const killer = (async () => {
      for (let i = 0; i < 600 && !killed; i++) {
        const { rows } = await adminQuery(
          `SELECT pg_terminate_backend(pid) AS t FROM pg_locks
            WHERE locktype = 'advisory' AND classid = ${classid} AND objid = ${objid} AND database =
                  (SELECT oid FROM pg_database WHERE datname = '${db.name}')`,
        );
        if (rows.length > 0) killed = true;
        else await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    await killer;
    sim.control.setFaults({ endpoints: { composition: { latencyMs: 0 } } });
    expect(killed).toBe(true);
    expect(summary.error, JSON.stringify(summary.error)).toBeUndefined();
    const [first, second] = [
      summary.templates.find((t) => t.templateId === templates[0]),
      summary.templates.find((t) => t.templateId === templates[1]),
    ];
    expect(first?.status).toBe('failed');
    expect(first?.error).toMatch(
      /lock of template .* was lost .*its export stopped, the batch in flight rolled back/,
    );
    expect(second?.status).toBe('completed');
    expect((await storedRows(db.pool, templates[1])).size).toBe(
      [...sim.control.liveCompositions(templates[1]!)].length,
    );
    expect((await storedRows(db.pool, templates[0])).size).toBeLessThan(
      [...sim.control.liveCompositions(templates[0]!)].length,
    );
    expect(exitCodeOf(summary, 130)).toBe(1);
  });
});
