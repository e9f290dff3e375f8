import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import type { ChangeRecord } from '../../../src/openehr/types.js';
import { collect, openEhrConfig, type TestClient, testClient } from './support.js';

let sim: Simulator;
let t: TestClient;
let templateId: string;

/** What the simulator says is live for the template, in (commit time, uid) order. */
function expected(): string[] {
  return [...sim.control.liveCompositions(templateId)].map((c) => c.uid);
}

beforeAll(async () => {
  // Many ties: about a third of the compositions share their commit time with the previous one.
  sim = await startSimulator({ seed: 7, ehrs: 40, compositions: 400, tieRatio: 0.35, clockTicking: false });
  templateId = sim.control.templateIds()[0]!;
  t = testClient(openEhrConfig(sim));
});

afterAll(async () => {
  await t?.client.close();
  await sim?.close();
});

describe('commit-time discovery against the simulator', () => {
  it('yields every live composition once, in commit-time order, in pages of at most pageSize', async () => {
    const pages: ChangeRecord[][] = [];
    for await (const page of t.client.discoverChanges({ templateId, pageSize: 7 })) pages.push(page);
    const uids = pages.flat().map((r) => r.uid);
    expect(uids).toEqual(expected());
    expect(pages.every((p) => p.length <= 7)).toBe(true);
    expect(t.client.discoveryMode()).toBe('commit_time');
    const first = pages[0]![0]!;
    const live = [...sim.control.liveCompositions(templateId)][0]!;
    expect(first).toEqual({
      ehrId: live.ehrId,
      uid: live.uid,
      objectId: live.objectId,
      version: Number(live.uid.split('::')[2]),
      templateId,
      time: live.timeCommitted,
    });
  });

  it('gets through ties larger than a page', async () => {
    const perTime = new Map<string, number>();
    for (const c of sim.control.liveCompositions(templateId)) {
      perTime.set(c.timeCommitted, (perTime.get(c.timeCommitted) ?? 0) + 1);
    }
    expect(Math.max(...perTime.values())).toBeGreaterThan(2);
    const records = await collect(t.client.discoverChanges({ templateId, pageSize: 2 }));
    expect(records.map((r) => r.uid)).toEqual(expected());
  });

  it('honours since (inclusive) and until (exclusive)', async () => {
    const all = [...sim.control.liveCompositions(templateId)];
    const since = all[10]!.timeCommitted;
    const until = all[30]!.timeCommitted;
    const window = await collect(t.client.discoverChanges({ templateId, since, until, pageSize: 5 }));
    const inWindow = all.filter((c) => c.timeCommitted >= since && c.timeCommitted < until).map((c) => c.uid);
    expect(window.map((r) => r.uid)).toEqual(inWindow);
  });

  it('restricts to given EHRs with one AQL condition, not a query per EHR', async () => {
    const all = [...sim.control.liveCompositions(templateId)];
    const ehrIds = [all[0]!.ehrId, all[all.length - 1]!.ehrId];
    sim.control.resetStats();
    const records = await collect(t.client.discoverChanges({ templateId, ehrIds, pageSize: 500 }));
    expect(records.map((r) => r.uid)).toEqual(all.filter((c) => ehrIds.includes(c.ehrId)).map((c) => c.uid));
    expect(sim.control.stats().aql).toBe(1);
  });

  it('misses nothing and repeats nothing when commits and updates land between pages', async () => {
    const before = expected();
    const seen: string[] = [];
    /** uids created after each page; those made after the last page cannot have been seen. */
    const createdAfterPage: string[][] = [];
    let i = 0;
    for await (const page of t.client.discoverChanges({ templateId, pageSize: 9 })) {
      seen.push(...page.map((r) => r.uid));
      sim.control.advanceClock(1000);
      const created = [sim.control.commit(templateId).uid];
      // update a composition already seen: its new version is committed "now" and must show up later
      if (i++ % 3 === 0) created.push(sim.control.update(page[0]!.objectId));
      createdAfterPage.push(created);
    }
    expect(new Set(seen).size).toBe(seen.length);
    const seenObjects = new Set(seen.map((u) => u.split('::')[0]));
    for (const uid of before) expect(seenObjects.has(uid.split('::')[0])).toBe(true);
    const createdBeforeLastPage = createdAfterPage.slice(0, -1).flat();
    expect(createdBeforeLastPage.length).toBeGreaterThan(10);
    for (const uid of createdBeforeLastPage) expect(seen).toContain(uid);
  });

  it('adapts the page size to the server max-fetch and remembers it', async () => {
    sim.control.setFaults({ maxFetch: 13 });
    try {
      sim.control.resetStats();
      const records = await collect(t.client.discoverChanges({ templateId, pageSize: 100 }));
      expect(records.map((r) => r.uid)).toEqual(expected());
      const firstRun = sim.control.stats().aql;
      expect(firstRun).toBeGreaterThan(expected().length / 13);
      // the second run knows the limit: the same pages without the rejected first request
      sim.control.resetStats();
      const again = await collect(t.client.discoverChanges({ templateId, pageSize: 100 }));
      expect(again.map((r) => r.uid)).toEqual(expected());
      expect(sim.control.stats().aql).toBe(firstRun - 1);
    } finally {
      sim.control.setFaults({ maxFetch: null });
    }
  });

  it('treats a template id with a quote and spaces as data, never as AQL text', async () => {
    const records = await collect(
      t.client.discoverChanges({ templateId: "O'Brien's  vitals v1", pageSize: 10 }),
    );
    expect(records).toEqual([]);
    expect(await t.client.countLive("O'Brien's  vitals v1")).toBe(0);
  });
});

describe('live listing and counts', () => {
  it('lists every live composition and counts them', async () => {
    const live = await collect(t.client.listLive(templateId, { pageSize: 11 }));
    const want = [...sim.control.liveCompositions(templateId)];
    expect(live.map((l) => l.uid).sort()).toEqual(want.map((c) => c.uid).sort());
    expect(live.every((l) => l.uid.startsWith(`${l.objectId}::`))).toBe(true);
    expect(await t.client.countLive(templateId)).toBe(want.length);
  });
});
