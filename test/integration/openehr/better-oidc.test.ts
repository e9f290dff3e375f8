import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import type { OpenEhrConfig } from '../../../src/config/types.js';
import { AuthError, ConfigError, ConnectionError } from '../../../src/errors.js';
import { collect, FAST_RETRY, openEhrConfig, testClient } from './support.js';

let sim: Simulator;
let templateId: string;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 9,
    ehrs: 10,
    compositions: 50,
    flavour: 'better',
    auth: 'bearer',
    clockTicking: false,
  });
  templateId = sim.control.templateIds()[0]!;
});

afterAll(async () => {
  await sim?.close();
});

const passwordGrant = (over: Partial<OpenEhrConfig> = {}) =>
  openEhrConfig(sim, {
    authType: 'openid',
    oidcGrant: 'password',
    oidcTokenUrl: sim.tokenUrl,
    clientId: 'portal',
    username: sim.credentials.oidcUsers[0]!.username,
    password: sim.credentials.oidcUsers[0]!.password,
    ...over,
  });

const confidential = () => sim.credentials.oidcClients.find((c) => c.clientSecret)!;
const clientCredentials = (over: Partial<OpenEhrConfig> = {}) =>
  openEhrConfig(sim, {
    authType: 'openid',
    oidcGrant: 'client_credentials',
    oidcTokenUrl: sim.tokenUrl,
    clientId: confidential().clientId,
    clientSecret: confidential().clientSecret,
    ...over,
  });

async function withClient<T>(config: OpenEhrConfig, fn: (t: ReturnType<typeof testClient>) => Promise<T>) {
  const t = testClient(config);
  try {
    return await fn(t);
  } finally {
    await t.client.close();
  }
}

/** Discovery + FLAT fetch of everything: what an export does with the client. */
async function exportAll(t: ReturnType<typeof testClient>) {
  const records = await collect(t.client.discoverChanges({ templateId, pageSize: 8 }));
  const results = await Promise.all(records.map((r) => t.client.fetchFlat(r.ehrId, r.uid)));
  return { records, results };
}

describe('Better flavour with OIDC', () => {
  it('password grant: discovery and FLAT via the Better media type', async () => {
    await withClient(passwordGrant(), async (t) => {
      const { records, results } = await exportAll(t);
      expect(records.map((r) => r.uid)).toEqual(
        [...sim.control.liveCompositions(templateId)].map((c) => c.uid),
      );
      for (const [i, r] of results.entries())
        expect(r.status === 'ok' && r.flat).toEqual(sim.control.getFlat(records[i]!.uid));
      expect(t.client.stats().byKind.token).toBe(1);
      expect(t.client.discoveryMode()).toBe('commit_time');
    });
  });

  it('client-credentials grant', async () => {
    await withClient(clientCredentials(), async (t) => {
      expect(await t.client.countLive(templateId)).toBe(sim.control.totals().liveByTemplate[templateId]);
      await t.client.ping();
    });
  });

  it('empty results without rows, web template and template list', async () => {
    await withClient(passwordGrant(), async (t) => {
      expect(await collect(t.client.discoverChanges({ templateId: 'absent template', pageSize: 5 }))).toEqual(
        [],
      );
      const wt = (await t.client.getWebTemplate(templateId)) as { templateId?: string };
      expect(wt.templateId).toBe(templateId);
      expect((await t.client.listTemplates()).map((x) => x.templateId)).toContain(templateId);
    });
  });

  it('revoked tokens mid-run: one re-authentication (refresh refused → new login) and the run goes on', async () => {
    await withClient(passwordGrant(), async (t) => {
      const records = await collect(t.client.discoverChanges({ templateId, pageSize: 50 }));
      sim.control.revokeTokens();
      const results = await Promise.all(records.map((r) => t.client.fetchFlat(r.ehrId, r.uid)));
      expect(results.every((r) => r.status === 'ok')).toBe(true);
      // first login, a refused refresh, a new login — shared by all parallel requests
      expect(t.client.stats().byKind.token).toBe(3);
      expect(t.logs.join('\n')).toMatch(/logging in again/);
    });
  });

  it('an access token expiring mid-run is refreshed before use', async () => {
    sim.control.setFaults({ tokenTtlSeconds: 1 });
    try {
      await withClient(passwordGrant(), async (t) => {
        await t.client.ping();
        await sleep(1100); // the token issued above is now expired on the server
        const { results } = await exportAll(t);
        expect(results.every((r) => r.status === 'ok')).toBe(true);
        expect(t.client.stats().byKind.token).toBeGreaterThanOrEqual(2);
      });
    } finally {
      sim.control.setFaults({ tokenTtlSeconds: 300 });
    }
  });

  it('wrong password → AuthError (exit 3) naming the token URL, without the secret', async () => {
    const password = 'Secret-Wrong-42';
    await withClient(passwordGrant({ password }), async (t) => {
      const err = await t.client.ping().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect((err as AuthError).exitCode).toBe(3);
      expect((err as Error).message).toContain(sim.tokenUrl);
      expect((err as Error).message).not.toContain(password);
      expect(t.logs.join('\n')).not.toContain(password);
    });
  });

  it('wrong client secret → AuthError without the secret', async () => {
    const clientSecret = 'not-the-client-secret';
    await withClient(clientCredentials({ clientSecret }), async (t) => {
      const err = await t.client.ping().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect((err as Error).message).toContain(sim.tokenUrl);
      expect((err as Error).message).not.toContain(clientSecret);
    });
  });

  it('an unreachable token endpoint → ConnectionError (exit 4) naming the token URL', async () => {
    const gone = await startSimulator({
      seed: 1,
      ehrs: 1,
      compositions: 1,
      flavour: 'better',
      auth: 'bearer',
    });
    const tokenUrl = gone.tokenUrl;
    await gone.close();
    await withClient(
      passwordGrant({ oidcTokenUrl: tokenUrl, retry: { ...FAST_RETRY, maxRetries: 1 } }),
      async (t) => {
        const err = await t.client.ping().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as ConnectionError).exitCode).toBe(4);
        expect((err as Error).message).toContain(tokenUrl);
      },
    );
  });

  it('incomplete OIDC settings and non-loopback http token URLs are configuration errors', () => {
    expect(() => testClient(passwordGrant({ oidcTokenUrl: undefined }))).toThrow(ConfigError);
    expect(() => testClient(clientCredentials({ clientSecret: undefined }))).toThrow(ConfigError);
    expect(() => testClient(passwordGrant({ oidcTokenUrl: 'http://idp.example.org/token' }))).toThrow(
      /https/,
    );
  });
});
