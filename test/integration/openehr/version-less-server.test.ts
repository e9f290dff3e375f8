import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { instantNanos } from '../../../src/openehr/aql/instant.js';
import type { ChangeRecord } from '../../../src/openehr/types.js';
import { collect, openEhrConfig, type TestClient, testClient, warnings } from './support.js';

/**
 * A server that cannot query VERSION (simulator `rejectVersionQueries`): the client falls back to discovery
 * by clinical start time over real HTTP, and the limitation that fallback documents is what it does.
 */
const templateId = 'vital_signs.v1';
const BACKDATED_START = '2023-06-01T08:00:00.000+01:00';
let sim: Simulator;
let t: TestClient;

const startTime = (uid: string) =>
  (sim.control.getCanonical(uid) as { context?: { start_time?: { value?: string } } }).context?.start_time
    ?.value;

/** (time, uid) order as the client promises it: instant first, uid as the tie-breaker. */
function inOrder(records: ChangeRecord[]): boolean {
  return records.every((r, i) => {
    if (i === 0) return true;
    const prev = records[i - 1]!;
    const a = instantNanos(prev.time)!;
    const b = instantNanos(r.time)!;
    return a < b || (a === b && prev.uid < r.uid);
  });
}

beforeAll(async () => {
  sim = await startSimulator({
    seed: 31,
    ehrs: 20,
    compositions: 160,
    backdateRatio: 0.5,
    clockTicking: false,
    rejectVersionQueries: true,
  });
  t = testClient(openEhrConfig(sim));
});

afterAll(async () => {
  await t?.client.close();
  await sim?.close();
});

describe('discovery against a server that rejects VERSION in FROM', () => {
  it('falls back to clinical time: every live composition once, in (start time, uid) order', async () => {
    const records = await collect(t.client.discoverChanges({ templateId, pageSize: 5 }));
    expect(t.client.discoveryMode()).toBe('clinical_time');
    const live = [...sim.control.liveCompositions(templateId)].map((c) => c.uid);
    expect(live.length).toBeGreaterThan(20);
    expect(records.map((r) => r.uid).sort()).toEqual([...live].sort());
    expect(new Set(records.map((r) => r.uid)).size).toBe(records.length);
    expect(inOrder(records)).toBe(true);
    for (const r of records) expect(r.time).toBe(startTime(r.uid));
    const fallback = warnings(t.logs).filter((w) => /clinical start time/.test(w.msg));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.msg).toMatch(/back-dated\) can be missed by incremental runs/);
  });

  it('misses a back-dated composition committed after the window started (the documented limitation)', async () => {
    const before = await collect(t.client.discoverChanges({ templateId, pageSize: 50 }));
    const clinicalWatermark = before[before.length - 1]!.time;
    const liveBefore = [...sim.control.liveCompositions(templateId)];
    const commitWatermark = liveBefore[liveBefore.length - 1]!.timeCommitted;

    sim.control.advanceClock(60_000);
    const backdated = sim.control.commit(templateId, undefined, {
      'vital_signs/context/start_time': BACKDATED_START,
    });
    const current = sim.control.commit(templateId, undefined, {
      'vital_signs/context/start_time': sim.control.now(),
    });
    expect(instantNanos(backdated.timeCommitted)! > instantNanos(commitWatermark)!).toBe(true);
    expect(instantNanos(BACKDATED_START)! < instantNanos(clinicalWatermark)!).toBe(true);

    // An incremental run resuming from the clinical watermark sees the current one, not the back-dated one.
    const incremental = await collect(
      t.client.discoverChanges({ templateId, since: clinicalWatermark, pageSize: 50 }),
    );
    expect(t.client.discoveryMode()).toBe('clinical_time');
    const found = incremental.map((r) => r.uid);
    expect(found).toContain(current.uid);
    expect(found).not.toContain(backdated.uid);

    // A full run (no window) does find it, under its clinical start time.
    const full = await collect(t.client.discoverChanges({ templateId, pageSize: 50 }));
    expect(full.find((r) => r.uid === backdated.uid)?.time).toBe(BACKDATED_START);

    // With VERSION support the same change is found by a commit-time window: the gap is the fallback's.
    sim.control.setFaults({ rejectVersionQueries: false });
    const versioned = testClient(openEhrConfig(sim));
    try {
      const byCommit = await collect(
        versioned.client.discoverChanges({ templateId, since: commitWatermark, pageSize: 50 }),
      );
      expect(versioned.client.discoveryMode()).toBe('commit_time');
      expect(byCommit.map((r) => r.uid)).toEqual(expect.arrayContaining([backdated.uid, current.uid]));
    } finally {
      sim.control.setFaults({ rejectVersionQueries: true });
      await versioned.client.close();
    }
  });
});
