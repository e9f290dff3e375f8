import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { containerNameFor } from '../../../src/config/cosmos-container-names.js';
import { loadConfig } from '../../../src/config/index.js';
import { openStore } from '../../../src/store/index.js';
import { type CosmosTestServer, startCosmosServer } from '../../support/cosmos-server.js';
import { workdir } from '../../unit/config/helpers.js';
import { contextFor, runExport, startSim, sumCounts } from '../export/harness.js';
import { cosmosRunToml, sdkClient, verifyCosmos } from './cosmos-harness.js';

let sim: Simulator;
let server: CosmosTestServer;
let templates: string[];
let toml: string;
const DB = 'atlas_test';

beforeAll(async () => {
  server = await startCosmosServer();
  sim = await startSim({ seed: 7, ehrs: 15, compositions: 240, updateRatio: 0.2 });
  templates = sim.control.templateIds().slice(0, 2);
  toml = cosmosRunToml(sim, server, DB, templates);
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await server?.close();
});

function liveCount(templateId: string): number {
  return [...sim.control.liveCompositions(templateId)].length;
}

describe('export into Cosmos DB (emulator)', () => {
  it('full export: every live composition once, documents as documented, verify consistent', async () => {
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.error, JSON.stringify(summary.error)).toBeUndefined();
    expect(summary.status).toBe('completed');
    const total = templates.reduce((n, t) => n + liveCount(t), 0);
    expect(sumCounts(summary, 'inserted')).toBe(total);

    const client = sdkClient(server);
    const db = client.database(DB);
    for (const t of templates) {
      const container = db.container(containerNameFor('compositions', t));
      const { resource } = await container.read();
      expect(resource?.partitionKey?.paths).toEqual(['/ehr_id']);
      expect(resource?.indexingPolicy?.excludedPaths?.map((p) => p.path)).toContain('/content/*');
      const { resources } = await container.items.query('SELECT * FROM c').fetchAll();
      expect(resources.length).toBe(liveCount(t));
      for (const live of sim.control.liveCompositions(t)) {
        const doc = resources.find((d) => d.id === live.objectId);
        expect(doc, live.uid).toBeDefined();
        expect(doc?.ehr_id).toBe(live.ehrId);
        expect(doc?.composition_uid).toBe(live.uid);
        expect(doc?.template_id).toBe(t);
        expect(doc?.deleted_at).toBeNull();
        expect(doc?.content).toEqual(sim.control.getFlat(live.uid));
        expect(doc?.checksum).toMatch(/^[0-9a-f]{64}$/);
      }
    }
    const control = await db.container('atlas_control').items.query('SELECT c.id, c.type FROM c').fetchAll();
    const types = new Set(control.resources.map((d) => d.type));
    for (const type of ['run', 'cursor', 'watermark', 'container', 'lease']) expect(types).toContain(type);
    client.dispose();

    const report = await verifyCosmos(toml, templates);
    expect(report.consistent, JSON.stringify(report.templates.map((x) => x.issues))).toBe(true);
    for (const t of report.templates) {
      expect(t.storedCount).toBe(liveCount(t.templateId));
      expect(t.contentChecked).toBe(t.sourceCount);
    }
  });

  it('a second full export writes nothing and raises no conflict', async () => {
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    expect(sumCounts(summary, 'inserted') + sumCounts(summary, 'updated')).toBe(0);
    expect(sumCounts(summary, 'failed')).toBe(0);
    expect(summary.logs.join('')).not.toMatch(/409|Conflict/);
  });

  it('incremental export after commits, updates and deletions equals the source; deletions marked', async () => {
    sim.control.advanceClock(60_000);
    const [a, b] = templates as [string, string];
    for (let i = 0; i < 5; i++) sim.control.commit(a);
    const liveB = [...sim.control.liveCompositions(b)];
    sim.control.update(liveB[0]!.objectId);
    sim.control.delete(liveB[1]!.objectId);
    const summary = await runExport(toml, { flags: { mode: 'incremental' }, reconcile: true });
    expect(summary.status, JSON.stringify(summary.error)).toBe('completed');
    expect(sumCounts(summary, 'inserted')).toBe(5);
    expect(sumCounts(summary, 'updated')).toBe(1);
    expect(sumCounts(summary, 'deleted')).toBe(1);

    const report = await verifyCosmos(toml, templates);
    expect(report.consistent, JSON.stringify(report.templates.map((x) => x.issues))).toBe(true);

    const client = sdkClient(server);
    const deleted = await client
      .database(DB)
      .container(containerNameFor('compositions', b))
      .item(liveB[1]!.objectId, liveB[1]!.ehrId)
      .read();
    expect(typeof deleted.resource?.deleted_at).toBe('string');
    client.dispose();
  });

  it('status reports per template from the control container', async () => {
    const ctx = await contextFor(toml);
    const store = await openStore(ctx, { access: 'read' });
    try {
      const rows = await store.templateStatus(templates);
      for (const row of rows) {
        expect(row.live).toBe(liveCount(row.templateId));
        expect(row.cursor).not.toBeNull();
        expect(row.lastRun?.status).toBe('completed');
        expect(row.ehrs).toBeGreaterThan(0);
      }
      expect(rows.find((r) => r.templateId === templates[1])?.deleted).toBe(1);
      const wm = await store.watermarks({ templateId: templates[0] });
      expect(wm.length).toBeGreaterThan(0);
      expect(wm.every((w) => w.lastExportStatus === 'completed')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a dry run writes nothing', async () => {
    sim.control.advanceClock(60_000);
    sim.control.commit(templates[0]!);
    const summary = await runExport(toml, { flags: { mode: 'incremental', dryRun: true } });
    expect(summary.dryRun).toBe(true);
    expect(sumCounts(summary, 'inserted')).toBe(1);
    const report = await verifyCosmos(toml, templates);
    expect(report.templates.find((t) => t.templateId === templates[0])?.issues.missing.count).toBe(1);
  });
});

describe('TLS to the account', () => {
  async function describeWith(cosmosExtra: string, withCa: boolean): Promise<string> {
    let text = cosmosRunToml(sim, server, DB, templates, { cosmosExtra });
    if (!withCa) text = text.replace(/tls_ca_cert = "[^"]*"\n/, '');
    const ctx = await contextFor(text);
    const store = await openStore(ctx, { migrate: false });
    try {
      return await store.describeServer();
    } finally {
      await store.close();
    }
  }

  it('trusts the server through tls_ca_cert, refuses it without, accepts it with tls_verify = false', async () => {
    expect(await describeWith('', true)).toMatch(/^connected \(Cosmos DB https:\/\/127\.0\.0\.1:/);
    await expect(describeWith('', false)).rejects.toThrow(/cannot reach Cosmos DB/);
    expect(await describeWith('tls_verify = false', false)).toMatch(/^connected/);
  });
});

describe('configuration', () => {
  it('refuses template ids that sanitise to the same container name', async () => {
    const text = cosmosRunToml(sim, server, DB, ['IDCR - Lab Report.v1', 'idcr_lab_report.v1']);
    const cwd = workdir({ 'atlas.toml': text });
    await expect(loadConfig({ cwd, env: {}, stderrIsTty: false })).rejects.toThrow(
      /would share the data container "compositions_idcr_lab_report_v1"/,
    );
  });
});
