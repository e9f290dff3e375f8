import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { AuthError } from '../../../src/errors.js';
import { collect, openEhrConfig, testClient } from './support.js';

let basicSim: Simulator;
let bearerSim: Simulator;

beforeAll(async () => {
  basicSim = await startSimulator({ seed: 5, ehrs: 5, compositions: 20, auth: 'basic' });
  bearerSim = await startSimulator({ seed: 5, ehrs: 5, compositions: 20, auth: 'bearer' });
});

afterAll(async () => {
  await basicSim?.close();
  await bearerSim?.close();
});

async function withClient<T>(
  config: Parameters<typeof testClient>[0],
  fn: (t: ReturnType<typeof testClient>) => Promise<T>,
) {
  const t = testClient(config);
  try {
    return await fn(t);
  } finally {
    await t.client.close();
  }
}

describe('basic auth', () => {
  it('authenticates every request', async () => {
    const { username, password } = basicSim.credentials;
    await withClient(
      openEhrConfig(basicSim, { authType: 'basic', username, password }),
      async ({ client }) => {
        await client.ping();
        const templateId = basicSim.control.templateIds()[0]!;
        const records = await collect(client.discoverChanges({ templateId, pageSize: 50 }));
        const flat = await client.fetchFlat(records[0]!.ehrId, records[0]!.uid);
        expect(flat.status).toBe('ok');
      },
    );
  });

  it('wrong password → AuthError naming the server and user, never the password, no retries', async () => {
    const password = 'Wr0ngButSecret!';
    await withClient(
      openEhrConfig(basicSim, { authType: 'basic', username: basicSim.credentials.username, password }),
      async ({ client, logs }) => {
        basicSim.control.resetStats();
        const err = await client.ping().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AuthError);
        expect((err as AuthError).exitCode).toBe(3);
        const message = (err as Error).message;
        expect(message).toContain(new URL(basicSim.baseUrl).origin);
        expect(message).toContain(basicSim.credentials.username);
        expect(message).not.toContain(password);
        expect(logs.join('\n')).not.toContain(password);
        expect(basicSim.control.stats().aql).toBe(1);
        expect(client.stats().retries).toBe(0);
      },
    );
  });

  it('no credentials against a protected server → AuthError telling to configure auth', async () => {
    await withClient(openEhrConfig(basicSim), async ({ client }) => {
      const err = await client.ping().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect((err as Error).message).toMatch(/auth_type/);
    });
  });
});

describe('static bearer token', () => {
  it('authenticates with the configured token', async () => {
    await withClient(
      openEhrConfig(bearerSim, { authType: 'bearer', bearerToken: bearerSim.credentials.bearerToken }),
      async ({ client }) => {
        expect(await client.countLive(bearerSim.control.templateIds()[0]!)).toBeGreaterThan(0);
      },
    );
  });

  it('a rejected token → AuthError without the token', async () => {
    const token = 'not-the-right-token-123';
    await withClient(
      openEhrConfig(bearerSim, { authType: 'bearer', bearerToken: token }),
      async ({ client, logs }) => {
        const err = await client.ping().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AuthError);
        expect((err as Error).message).not.toContain(token);
        expect(logs.join('\n')).not.toContain(token);
      },
    );
  });
});
