import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { containerNameFor } from '../../../src/config/cosmos-container-names.js';
import { startSim } from '../../integration/export/harness.js';
import { cosmosRunToml, sdkClient, verifyCosmos } from '../../integration/store/cosmos-harness.js';
import { type CosmosTestServer, startCosmosServer } from '../../support/cosmos-server.js';
import { ensureBuilt, runCli, startCli, waitFor, writeConfig } from './cli.js';

let sim: Simulator;
let server: CosmosTestServer;
let templates: string[];
let toml: string;
let config: string;
const DB = 'kill_resume';

beforeAll(async () => {
  await ensureBuilt();
  server = await startCosmosServer();
  sim = await startSim({ seed: 202, ehrs: 30, compositions: 600, updateRatio: 0.2, tieRatio: 0.2 });
  templates = sim.control.templateIds().slice(0, 2);
  // Slow enough that a run spans several batches and the kill lands inside it.
  sim.control.setFaults({ endpoints: { composition: { latencyMs: 10 } } });
  toml = cosmosRunToml(sim, server, DB, templates);
  config = writeConfig(toml).file;
}, 300_000);
afterAll(async () => {
  await sim?.close();
  await server?.close();
});

async function runDocuments(): Promise<number> {
  const client = sdkClient(server);
  try {
    const { resources } = await client
      .database(DB)
      .container('atlas_control')
      .items.query("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'run'")
      .fetchAll();
    return Number(resources[0] ?? 0);
  } catch {
    return 0;
  } finally {
    client.dispose();
  }
}

describe('Cosmos DB: kill -9 at random points, then resume', () => {
  it('ends with one current document per composition and verify consistent', async () => {
    const rng = xoroshiro128plus(20261207);
    let killed = 0;
    for (let iteration = 0; iteration < 4; iteration++) {
      const runsBefore = await runDocuments();
      const mode = iteration % 2 === 0 ? 'incremental' : 'full';
      const run = startCli(['export', '-c', config, '--yes', '--mode', mode, '--log-format', 'json']);
      await waitFor(async () => (await runDocuments()) > runsBefore || run.child.exitCode !== null);
      await new Promise((r) => setTimeout(r, uniformInt(rng, 200, 1500)));
      run.child.kill('SIGKILL');
      const result = await run.done;
      expect(result.signal === 'SIGKILL' || result.code === 0, result.stderr).toBe(true);
      if (result.signal === 'SIGKILL') killed++;
      sim.control.advanceClock(120_000);
      for (const t of templates) sim.control.commit(t);
      const live = [...sim.control.liveCompositions(templates[iteration % templates.length]!)];
      sim.control.update(live[uniformInt(rng, 0, live.length - 1)]!.objectId);
      sim.control.delete(live[uniformInt(rng, 0, live.length - 1)]!.objectId);
    }
    expect(killed).toBeGreaterThan(0);
    // The killed runs' leases are held by dead processes of this machine: the next run takes them at once.
    const final = await runCli(['export', '-c', config, '--yes', '--reconcile', '--log-format', 'json']);
    expect(final.code, final.stderr).toBe(0);
    expect(final.stdout).toContain('Export completed successfully.');

    const verified = await runCli(['verify', '-c', config, '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    const report = JSON.parse(verified.stdout) as { consistent: boolean };
    expect(report.consistent).toBe(true);
    expect((await verifyCosmos(toml, templates)).consistent).toBe(true);

    // `atlas status` reads the control container (the original's was a stub).
    const status = await runCli(['status', '-c', config, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const shown = JSON.parse(status.stdout) as {
      templates: Array<{ templateId: string; live: number; lastRun: { status: string } }>;
    };
    for (const t of templates) {
      const row = shown.templates.find((r) => r.templateId === t);
      expect(row?.live).toBe([...sim.control.liveCompositions(t)].length);
      expect(row?.lastRun.status).toBe('completed');
    }

    const client = sdkClient(server);
    for (const t of templates) {
      const { resources } = await client
        .database(DB)
        .container(containerNameFor('compositions', t))
        .items.query<{ id: string; composition_uid: string; deleted_at: string | null }>(
          'SELECT c.id, c.composition_uid, c.deleted_at FROM c',
        )
        .fetchAll();
      const byId = new Map(resources.map((d) => [d.id, d]));
      expect(byId.size).toBe(resources.length);
      for (const c of sim.control.liveCompositions(t)) {
        expect(byId.get(c.objectId)?.composition_uid).toBe(c.uid);
        expect(byId.get(c.objectId)?.deleted_at).toBeNull();
      }
    }
    client.dispose();
  });
});
