import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { containerNameFor } from '../../../src/config/cosmos-container-names.js';
import { type CosmosTestServer, startCosmosServer } from '../../support/cosmos-server.js';
import { runExport, startSim, sumCounts } from '../export/harness.js';
import { cosmosRunToml, sdkClient, verifyCosmos } from './cosmos-harness.js';

let sim: Simulator;
let server: CosmosTestServer;
let templates: string[];
const DB = 'original';

beforeAll(async () => {
  server = await startCosmosServer();
  sim = await startSim({ seed: 23, ehrs: 8, compositions: 80 });
  templates = sim.control.templateIds().slice(0, 1);
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await server?.close();
});

describe('taking over a Cosmos DB deployment of the original Atlas', () => {
  it('detects its documents, leaves them untouched, and exports beside them', async () => {
    const [templateId] = templates as [string];
    const live = [...sim.control.liveCompositions(templateId)];
    // What the original wrote (reference §6/§7.1): containers with default indexing, documents keyed by the
    // full version uid with atlas_metadata and no checksum, watermarks `{template}_{ehr}` without a type.
    const client = sdkClient(server);
    const { database } = await client.databases.createIfNotExists({ id: DB });
    const { container: control } = await database.containers.createIfNotExists({
      id: 'atlas_control',
      partitionKey: { paths: ['/id'] },
    });
    const { container: data } = await database.containers.createIfNotExists({
      id: containerNameFor('compositions', templateId),
      partitionKey: { paths: ['/ehr_id'] },
    });
    for (const c of live.slice(0, 3)) {
      await data.items.create({
        id: c.uid,
        ehr_id: c.ehrId,
        composition_uid: c.uid,
        template_id: templateId,
        time_committed: '2024-01-15T10:30:00Z',
        content: sim.control.getFlat(c.uid),
        atlas_metadata: {
          exported_at: '2024-01-16T00:00:00Z',
          atlas_version: '2.4.0',
          export_mode: 'full',
          template_id: templateId,
        },
      });
    }
    await control.items.create({
      id: `${templateId}_${live[0]!.ehrId}`,
      template_id: templateId,
      ehr_id: live[0]!.ehrId,
      last_exported_timestamp: '2024-01-15T10:30:00Z',
      last_exported_composition_uid: live[0]!.uid,
      compositions_exported_count: 3,
      last_export_started_at: '2024-01-16T00:00:00Z',
      last_export_completed_at: '2024-01-16T00:00:01Z',
      last_export_status: 'completed',
    });

    const toml = cosmosRunToml(sim, server, DB, templates);
    const summary = await runExport(toml, { flags: { mode: 'incremental' } });
    expect(summary.status, JSON.stringify(summary.error)).toBe('completed');
    // The original's watermark cannot seed a commit-time cursor: the first run exports everything.
    expect(sumCounts(summary, 'inserted')).toBe(live.length);
    const warning = summary.logs.find((l) => l.includes('documents of the original Atlas found'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({
      legacyWatermarks: 1,
      legacyCompositions: { [templateId]: 3 },
    });

    // Untouched: still there, still the original's shape.
    const { resources: old } = await data.items
      .query('SELECT * FROM c WHERE IS_DEFINED(c.atlas_metadata)')
      .fetchAll();
    expect(old.map((d) => d.id).sort()).toEqual(
      live
        .slice(0, 3)
        .map((c) => c.uid)
        .sort(),
    );
    expect(old.every((d) => d.checksum === undefined)).toBe(true);
    client.dispose();

    // verify counts only Atlas's documents: consistent, nothing "extra".
    const report = await verifyCosmos(toml, templates);
    expect(report.consistent, JSON.stringify(report.templates[0]?.issues)).toBe(true);
    expect(report.templates[0]?.storedCount).toBe(live.length);
  });
});
