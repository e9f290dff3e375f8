import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DATA_DIR, type Simulator, startSimulator } from '../../../sim/index.js';
import { collect, openEhrConfig, type TestClient, testClient } from './support.js';

/** A template id with a quote, parentheses and a double space: AQL text and URL paths must survive it. */
const ODD_ID = "Vital signs (O'Brien's)  v1";

interface ManifestEntry {
  templateId: string;
  opt?: string;
  webTemplate?: string;
  prototypes: Array<{ flat: string; canonical: string }>;
}

/** The demo's vital-signs template, renamed to ODD_ID, in a data directory of its own. */
function oddDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-odd-template-'));
  const manifest = JSON.parse(readFileSync(join(DEMO_DATA_DIR, 'manifest.json'), 'utf8')) as {
    templates: ManifestEntry[];
  };
  const source = manifest.templates[0]!;
  const abs = (p: string) => resolve(DEMO_DATA_DIR, p);
  const prototypes = source.prototypes.map((p, i) => {
    const canonical = JSON.parse(readFileSync(abs(p.canonical), 'utf8'));
    canonical.archetype_details.template_id.value = ODD_ID;
    const file = join(dir, `canonical_${i}.json`);
    writeFileSync(file, JSON.stringify(canonical));
    return { flat: abs(p.flat), canonical: file };
  });
  const entry = {
    templateId: ODD_ID,
    ...(source.opt ? { opt: abs(source.opt) } : {}),
    ...(source.webTemplate ? { webTemplate: abs(source.webTemplate) } : {}),
    prototypes,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ templates: [entry] }));
  return dir;
}

let sim: Simulator;
let t: TestClient;

beforeAll(async () => {
  sim = await startSimulator({
    dataDir: oddDataDir(),
    seed: 4,
    ehrs: 5,
    compositions: 30,
    clockTicking: false,
  });
  t = testClient(openEhrConfig(sim));
});

afterAll(async () => {
  await t?.client.close();
  await sim?.close();
});

describe('a template id with a quote and spaces', () => {
  it('is discovered, counted, listed and fetched like any other', async () => {
    expect(sim.control.templateIds()).toEqual([ODD_ID]);
    const records = await collect(t.client.discoverChanges({ templateId: ODD_ID, pageSize: 7 }));
    expect(records.map((r) => r.uid)).toEqual([...sim.control.liveCompositions(ODD_ID)].map((c) => c.uid));
    expect(records.every((r) => r.templateId === ODD_ID)).toBe(true);
    expect(await t.client.countLive(ODD_ID)).toBe(records.length);
    expect(await collect(t.client.listLive(ODD_ID))).toHaveLength(records.length);
    const flat = await t.client.fetchFlat(records[0]!.ehrId, records[0]!.uid);
    expect(flat.status === 'ok' && flat.flat).toEqual(sim.control.getFlat(records[0]!.uid));
  });

  it('is URL-encoded in the web-template path and listed verbatim', async () => {
    expect(await t.client.getWebTemplate(ODD_ID)).toBeTypeOf('object');
    expect((await t.client.listTemplates()).map((x) => x.templateId)).toEqual([ODD_ID]);
  });
});
