import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { call } from './http.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Basic auth', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ auth: 'basic', ehrs: 2, compositions: 2 });
  });
  afterAll(() => sim.close());

  it('answers 401 with WWW-Authenticate without or with wrong credentials, 200 with the defaults', async () => {
    const url = `${sim.baseUrl}/definition/template/adl1.4`;
    const none = await call(url);
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="Realm"']);
    expect((await call(url, { headers: { authorization: basic('ehrbase-user', 'wrong') } })).status).toBe(
      401,
    );
    const ok = await call(url, { headers: { authorization: basic('ehrbase-user', 'SuperSecretPassword') } });
    expect(ok.status).toBe(200);
    expect(sim.credentials).toMatchObject({ username: 'ehrbase-user', password: 'SuperSecretPassword' });
    // The control endpoint stays open for tests.
    expect((await call(`${sim.controlUrl}/stats`)).status).toBe(200);
  });
});

describe('Bearer auth and the OIDC token endpoint', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ auth: 'bearer', ehrs: 2, compositions: 2, tokenTtlSeconds: 300 });
  });
  afterAll(() => sim.close());

  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    call(sim.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const api = (accessToken?: string) =>
    call(
      `${sim.baseUrl}/definition/template/adl1.4`,
      accessToken ? { headers: { authorization: `Bearer ${accessToken}` } } : {},
    );

  it('accepts the static token and rejects requests without one', async () => {
    expect((await api()).status).toBe(401);
    expect((await api(sim.credentials.bearerToken)).status).toBe(200);
    expect((await api('forged')).status).toBe(401);
  });

  it('issues tokens for the password and client_credentials grants; wrong credentials → 401 OAuth errors', async () => {
    const password = await token({
      grant_type: 'password',
      client_id: 'portal',
      username: 'ehrbase-user',
      password: 'SuperSecretPassword',
    });
    expect(password.status).toBe(200);
    expect(password.json).toMatchObject({
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: expect.any(String),
    });
    const payload = JSON.parse(Buffer.from(password.json.access_token.split('.')[1], 'base64url').toString());
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
    expect((await api(password.json.access_token)).status).toBe(200);

    const service = await token({
      grant_type: 'client_credentials',
      client_id: 'atlas',
      client_secret: 'atlas-secret',
    });
    expect(service.status).toBe(200);
    expect(service.json.refresh_token).toBeUndefined();
    expect((await api(service.json.access_token)).status).toBe(200);
    // Client secret as HTTP Basic (client_secret_basic) works too.
    const viaBasic = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic('atlas', 'atlas-secret') },
    );
    expect(viaBasic.status).toBe(200);

    const badSecret = await token({
      grant_type: 'client_credentials',
      client_id: 'atlas',
      client_secret: 'nope',
    });
    expect([badSecret.status, badSecret.json.error]).toEqual([401, 'invalid_client']);
    const badUser = await token({
      grant_type: 'password',
      client_id: 'portal',
      username: 'ehrbase-user',
      password: 'nope',
    });
    expect([badUser.status, badUser.json.error]).toEqual([401, 'invalid_grant']);
    const badGrant = await token({ grant_type: 'implicit', client_id: 'portal' });
    expect([badGrant.status, badGrant.json.error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('refreshes with a refresh token once; expired and revoked tokens are refused', async () => {
    const first = await token({
      grant_type: 'password',
      client_id: 'portal',
      username: 'ehrbase-user',
      password: 'SuperSecretPassword',
    });
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: 'portal',
      refresh_token: first.json.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect((await api(refreshed.json.access_token)).status).toBe(200);
    const reused = await token({
      grant_type: 'refresh_token',
      client_id: 'portal',
      refresh_token: first.json.refresh_token,
    });
    expect([reused.status, reused.json.error]).toEqual([400, 'invalid_grant']);

    sim.control.setFaults({ tokenTtlSeconds: 0 });
    try {
      const expired = await token({
        grant_type: 'client_credentials',
        client_id: 'atlas',
        client_secret: 'atlas-secret',
      });
      expect(expired.json.expires_in).toBe(0);
      const r = await api(expired.json.access_token);
      expect([r.status, r.headers.get('www-authenticate')]).toEqual([
        401,
        expect.stringContaining('invalid_token'),
      ]);
    } finally {
      sim.control.setFaults({ tokenTtlSeconds: 300 });
    }
    const live = await token({
      grant_type: 'client_credentials',
      client_id: 'atlas',
      client_secret: 'atlas-secret',
    });
    expect((await api(live.json.access_token)).status).toBe(200);
    sim.control.revokeTokens();
    expect((await api(live.json.access_token)).status).toBe(401);
  });

  it('serves an OpenID discovery document naming the token endpoint', async () => {
    const r = await call(
      `${sim.tokenUrl.replace(/\/protocol\/openid-connect\/token$/, '')}/.well-known/openid-configuration`,
    );
    expect(r.json).toMatchObject({
      token_endpoint: sim.tokenUrl,
      grant_types_supported: expect.arrayContaining(['password', 'client_credentials', 'refresh_token']),
    });
    expect(sim.control.stats().token).toBeGreaterThan(0);
  });
});
