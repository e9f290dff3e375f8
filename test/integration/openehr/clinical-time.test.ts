import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import type { AtlasConfig } from '../../../src/config/types.js';
import { type DiscoveryState, discoverChanges } from '../../../src/openehr/aql/discovery.js';
import { instantNanos } from '../../../src/openehr/aql/instant.js';
import type { ClientParts } from '../../../src/openehr/client.js';
import { createClientParts } from '../../../src/openehr/parts.js';
import { collect, openEhrConfig } from './support.js';

/**
 * The clinical-time discovery query against the simulator, in the mode a VERSION-less server would put the
 * client in (the switch itself, over HTTP, is in version-less-server.test.ts).
 */
let sim: Simulator;
let parts: ClientParts;
let templateId: string;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 21,
    ehrs: 15,
    compositions: 90,
    backdateRatio: 0.5,
    clockTicking: false,
  });
  templateId = sim.control.templateIds()[0]!;
  parts = createClientParts({
    config: { openehr: openEhrConfig(sim) } as unknown as AtlasConfig,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  });
});

afterAll(async () => {
  await parts?.agent.close();
  await sim?.close();
});

const startTime = (uid: string) =>
  (sim.control.getCanonical(uid) as { context?: { start_time?: { value?: string } } }).context?.start_time
    ?.value;

describe('clinical-time discovery (the fallback query) against the simulator', () => {
  it('finds every live composition once, ordered by start time, with the start time as `time`', async () => {
    const state: DiscoveryState = { mode: 'clinical_time', settled: true };
    const records = await collect(
      discoverChanges(parts.runner, state, parts.logger, { templateId, pageSize: 6 }),
    );
    const live = [...sim.control.liveCompositions(templateId)].map((c) => c.uid);
    expect(records.map((r) => r.uid).sort()).toEqual([...live].sort());
    for (const r of records) expect(r.time).toBe(startTime(r.uid));
    const instants = records.map((r) => instantNanos(r.time)!);
    for (let i = 1; i < instants.length; i++) expect(instants[i]! >= instants[i - 1]!).toBe(true);
  });

  it('honours since/until on the start time', async () => {
    const state: DiscoveryState = { mode: 'clinical_time', settled: true };
    const all = await collect(
      discoverChanges(parts.runner, state, parts.logger, { templateId, pageSize: 50 }),
    );
    const since = all[5]!.time;
    const until = all[20]!.time;
    const window = await collect(
      discoverChanges(parts.runner, state, parts.logger, { templateId, since, until, pageSize: 4 }),
    );
    const s = instantNanos(since)!;
    const u = instantNanos(until)!;
    const want = all.filter((r) => instantNanos(r.time)! >= s && instantNanos(r.time)! < u).map((r) => r.uid);
    expect(window.map((r) => r.uid).sort()).toEqual(want.sort());
  });
});
