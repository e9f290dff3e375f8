import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exitCodeOf } from '../../../src/export/summary.js';
import { createTestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, storedRows, sumCounts, tomlFor } from './harness.js';

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  sim = await startSim({ seed: 19, ehrs: 20, compositions: 300, flavour: 'better', auth: 'bearer' });
  templates = sim.control.templateIds().slice(0, 2);
});
afterAll(async () => {
  await sim?.close();
});

const oidc = (password: string) => `auth_type = "openid"
oidc_grant = "password"
oidc_token_url = "${sim.tokenUrl}"
client_id = "portal"
username = "${sim.credentials.oidcUsers[0]!.username}"
password = "${password}"`;

describe('Better flavour', () => {
  it('full and incremental export with a static bearer token', async () => {
    const db = await createTestDatabase();
    const toml = tomlFor(sim, db.url, templates);
    expect(toml).toContain('vendor = "better"');
    const full = await runExport(toml, { flags: { mode: 'full' } });
    expect(full.status).toBe('completed');
    await expectExactEquality(sim, db.pool, templates, expect);
    sim.control.advanceClock(60_000);
    const added = sim.control.commit(templates[1]!);
    const inc = await runExport(toml);
    expect(sumCounts(inc, 'inserted')).toBe(1);
    expect((await storedRows(db.pool)).get(added.objectId)?.composition_uid).toBe(added.uid);
  });

  it('OIDC password grant: tokens that expire and are revoked in the middle of a run', async () => {
    const db = await createTestDatabase();
    const toml = tomlFor(sim, db.url, templates, '', oidc(sim.credentials.oidcUsers[0]!.password));
    // Slow enough that fetches remain after the first batch commits, when the tokens are revoked.
    sim.control.setFaults({ tokenTtlSeconds: 1, endpoints: { composition: { latencyMs: 10 } } });
    sim.control.resetStats();
    try {
      const run = runExport(toml, { flags: { mode: 'full' } });
      for (let i = 0; i < 500 && (await storedRows(db.pool)).size === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      sim.control.revokeTokens();
      const summary = await run;
      expect(summary.status).toBe('completed');
      expect(sim.control.stats().token).toBeGreaterThan(1);
      await expectExactEquality(sim, db.pool, templates, expect);
    } finally {
      sim.control.setFaults({ tokenTtlSeconds: 300, endpoints: { composition: { latencyMs: 0 } } });
    }
  });

  it('wrong credentials: exit 3, the message names the token URL and never the secret', async () => {
    const db = await createTestDatabase();
    const secret = 'Wr0ng-Secret-Value';
    const toml = tomlFor(sim, db.url, templates, '', oidc(secret));
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    expect(summary.status).toBe('failed');
    expect(exitCodeOf(summary, 130)).toBe(3);
    expect(summary.error?.message).toContain(sim.tokenUrl);
    const everything = JSON.stringify(summary) + summary.logs.join('');
    expect(everything).not.toContain(secret);
    expect((await storedRows(db.pool)).size).toBe(0);
  });
});
