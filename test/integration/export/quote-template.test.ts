import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_DIR, type Simulator } from '../../../sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, sumCounts, tomlFor } from './harness.js';

// A template id with single and double quotes, a backslash and spaces: AQL parameters, SQL parameters,
// watermark ids and TOML must all carry it untouched.
const QUOTED = `O'Brien "quoted" \\ template.v1`;

let sim: Simulator;
let db: TestDatabase;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-quoted-'));
  // The Corona fixture re-labelled with the quoted template id (the simulator checks they agree).
  const canonical = JSON.parse(
    readFileSync(join(SHARED_FIXTURES_DIR, 'compositions/canonical/compo_corona.json'), 'utf8'),
  );
  canonical.archetype_details.template_id.value = QUOTED;
  writeFileSync(join(dir, 'canonical.json'), JSON.stringify(canonical));
  copyFileSync(join(SHARED_FIXTURES_DIR, 'compositions/flat/corona.json'), join(dir, 'flat.json'));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      templates: [{ templateId: QUOTED, prototypes: [{ flat: 'flat.json', canonical: 'canonical.json' }] }],
    }),
  );
  sim = await startSim({ seed: 2, ehrs: 10, compositions: 120, dataDir: manifest, includeOriginals: false });
  db = await createTestDatabase();
});
afterAll(async () => {
  await sim?.close();
});

describe('a quote in a template id', () => {
  it('is exported, watermarked and resumed like any other', async () => {
    expect(sim.control.templateIds()).toEqual([QUOTED]);
    const toml = tomlFor(sim, db.url, [QUOTED]);
    const first = await runExport(toml);
    expect(first.status).toBe('completed');
    const total = await expectExactEquality(sim, db.pool, [QUOTED], expect);
    expect(total).toBeGreaterThan(0);
    const wm = await db.pool.query<{ id: string; ehr_id: string }>('SELECT id, ehr_id FROM watermarks');
    for (const w of wm.rows) expect(w.id).toBe(`${QUOTED}::${w.ehr_id}`);
    sim.control.advanceClock(60_000);
    sim.control.commit(QUOTED);
    const second = await runExport(toml, { flags: { templateIds: [QUOTED] } });
    expect(sumCounts(second, 'inserted')).toBe(1);
    await expectExactEquality(sim, db.pool, [QUOTED], expect);
  });
});
