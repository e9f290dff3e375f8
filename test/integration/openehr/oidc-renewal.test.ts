import pino from 'pino';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { oidcAuth } from '../../../src/openehr/auth/oidc.js';
import { createTokenFetch } from '../../../src/openehr/auth/token-fetch.js';
import type { AuthProvider } from '../../../src/openehr/auth/types.js';
import { createStatsRecorder, type StatsRecorder } from '../../../src/openehr/http/stats.js';
import { FAST_RETRY } from './support.js';

/**
 * The OIDC credential source on its own against the simulator's token endpoint, with an injected clock so
 * "shortly before expiry" is reached without waiting.
 */
let sim: Simulator;
const agent = new Agent();
const logger = pino({ level: 'silent' });
const signal = new AbortController().signal;

beforeAll(async () => {
  sim = await startSimulator({ seed: 2, ehrs: 2, compositions: 4, flavour: 'better', auth: 'bearer' });
});

afterAll(async () => {
  await agent.close();
  await sim?.close();
});

function provider(clock: { now: number }): { auth: AuthProvider; stats: StatsRecorder } {
  const stats = createStatsRecorder();
  const fetch = createTokenFetch(
    agent,
    { policy: FAST_RETRY, logger, onRetry: () => stats.retry() },
    stats,
    signal,
  );
  const auth = oidcAuth(
    {
      oidcTokenUrl: sim.tokenUrl,
      clientId: 'portal',
      oidcGrant: 'password',
      username: sim.credentials.oidcUsers[0]!.username,
      password: sim.credentials.oidcUsers[0]!.password,
      timeoutSeconds: 10,
    },
    { logger, fetch, runSignal: signal, now: () => clock.now },
  );
  return { auth, stats };
}

describe('OIDC token renewal', () => {
  it('reuses a token until shortly before expiry, then refreshes it', async () => {
    const clock = { now: 1_000_000 };
    const { auth, stats } = provider(clock);
    const first = await auth.authorization(signal);
    expect(first).toMatch(/^Bearer /);
    clock.now += 200_000; // default lifetime 300 s: still outside the 30 s margin
    expect(await auth.authorization(signal)).toBe(first);
    expect(stats.snapshot().byKind.token).toBe(1);
    clock.now += 75_000; // 275 s: inside the margin
    const second = await auth.authorization(signal);
    expect(second).not.toBe(first);
    expect(stats.snapshot().byKind.token).toBe(2);
  });

  it('shares one renewal between concurrent callers', async () => {
    const clock = { now: 0 };
    const { auth, stats } = provider(clock);
    const headers = await Promise.all(Array.from({ length: 10 }, () => auth.authorization(signal)));
    expect(new Set(headers).size).toBe(1);
    expect(stats.snapshot().byKind.token).toBe(1);
    const rejected = headers[0];
    await Promise.all(Array.from({ length: 10 }, () => auth.renew(rejected, signal)));
    expect(stats.snapshot().byKind.token).toBe(2);
  });

  it('logs in again when the refresh token is gone', async () => {
    const clock = { now: 0 };
    const { auth, stats } = provider(clock);
    await auth.authorization(signal);
    sim.control.revokeTokens();
    clock.now += 290_000;
    const header = await auth.authorization(signal);
    expect(header).toMatch(/^Bearer /);
    expect(stats.snapshot().byKind.token).toBe(3); // login, refused refresh, login
  });
});
