import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { contentPreparer } from '../../../src/content/index.js';
import { createOpenEhrClient } from '../../../src/openehr/index.js';
import type { OpenEhrClient } from '../../../src/openehr/types.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/types.js';
import type { VerifyReport } from '../../../src/verify/types.js';
import { verify } from '../../../src/verify/verify.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { contextFor, runExport, startSim, tomlFor } from '../export/harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let store: Store;
let client: OpenEhrClient;

beforeAll(async () => {
  sim = await startSim({ seed: 41, ehrs: 20, compositions: 300 });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase();
  const toml = tomlFor(sim, db.url, templates);
  await runExport(toml, { flags: { mode: 'full' } });
  const ctx = { ...(await contextFor(toml)), logger: pino({ level: 'silent' }) };
  store = await openStore(ctx);
  client = createOpenEhrClient(ctx);
});
afterAll(async () => {
  await client?.close();
  await store?.close();
  await sim?.close();
});

function run(opts: { sample?: number; seed?: number } = {}): Promise<VerifyReport> {
  return verify(
    {
      client,
      store,
      content: contentPreparer({ format: 'preserve', pseudonymizeEhrId: false }),
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
    },
    { templateIds: templates, sample: opts.sample, seed: opts.seed ?? 1, pageSize: 100, concurrency: 8 },
  );
}

const ids = (r: VerifyReport, kind: keyof VerifyReport['templates'][number]['issues']) =>
  r.templates.flatMap((t) => t.issues[kind].examples.map((e) => e.id));

describe('verify', () => {
  it('passes on a consistent database and compares every composition', async () => {
    const report = await run();
    expect(report.consistent).toBe(true);
    for (const t of report.templates) {
      expect(t.sourceCount).toBe([...sim.control.liveCompositions(t.templateId)].length);
      expect(t.storedCount).toBe(t.sourceCount);
      expect(t.contentChecked).toBe(t.sourceCount);
    }
  });

  it('detects a missing row, an extra row, a stale version and tampered content', async () => {
    const [t0, t1] = templates as [string, string];
    const live0 = [...sim.control.liveCompositions(t0)];
    const missing = live0[0]!;
    const tampered = live0[1]!;
    const stale = live0[2]!;
    await db.pool.query('DELETE FROM compositions WHERE id = $1', [missing.objectId]);
    await db.pool.query(
      `UPDATE compositions SET content = content || '{"tampered": true}'::jsonb WHERE id = $1`,
      [tampered.objectId],
    );
    sim.control.update(stale.objectId);
    const extra = [...sim.control.liveCompositions(t1)][0]!;
    sim.control.delete(extra.objectId);

    const report = await run();
    expect(report.consistent).toBe(false);
    expect(ids(report, 'missing')).toEqual([missing.objectId]);
    expect(ids(report, 'tampered')).toEqual([tampered.objectId]);
    expect(ids(report, 'stale')).toEqual([stale.objectId]);
    expect(ids(report, 'extra')).toEqual([extra.objectId]);
    expect(ids(report, 'contentMismatch')).toEqual([]);
  });

  it('detects content that differs from the source while its checksum is self-consistent', async () => {
    const t1 = templates[1]!;
    const victim = [...sim.control.liveCompositions(t1)][3]!;
    // A consistent row (content and checksum agree) that is not what the source serves.
    await db.pool.query(
      `UPDATE compositions SET content = '{"x": 1}'::jsonb, checksum = encode(sha256('{"x":1}'::bytea), 'hex') WHERE id = $1`,
      [victim.objectId],
    );
    const report = await run();
    expect(ids(report, 'contentMismatch')).toEqual([victim.objectId]);
  });

  it('a seeded sample compares that many compositions, the same ones for the same seed', async () => {
    const a = await run({ sample: 5, seed: 9 });
    const b = await run({ sample: 5, seed: 9 });
    for (const t of a.templates) expect(t.contentChecked).toBe(5);
    expect(a.templates.map((t) => t.contentChecked)).toEqual(b.templates.map((t) => t.contentChecked));
    expect(JSON.stringify(a.templates.map((t) => t.issues))).toBe(
      JSON.stringify(b.templates.map((t) => t.issues)),
    );
  });

  it('a full export repairs what verify found (tampered rows once their checksum is cleared)', async () => {
    const before = await run();
    const tampered = ids(before, 'tampered');
    expect(tampered).toHaveLength(1);
    // A full run leaves rows whose version and checksum are unchanged alone, so content edited behind
    // Atlas's back is repaired by clearing its checksum first (docs/export.md, "Repairing").
    await db.pool.query('UPDATE compositions SET checksum = NULL WHERE id = ANY($1)', [tampered]);
    const summary = await runExport(tomlFor(sim, db.url, templates), { flags: { mode: 'full' } });
    expect(summary.status).toBe('completed');
    const after = await run();
    expect(after.consistent).toBe(true);
  });
});
