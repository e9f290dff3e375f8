import type { AddressInfo } from 'node:net';
import { AqlService } from './aql/service.js';
import { createControl } from './control.js';
import { loadDataSet } from './data/dataset.js';
import type { SimContext } from './http/context.js';
import { FaultState } from './http/faults.js';
import { createSimServer } from './http/server.js';
import { TokenRegistry } from './http/tokens.js';
import { DEMO_DATA_DIR } from './paths.js';
import { SimClock } from './population/clock.js';
import { Mutations } from './population/mutations.js';
import { Orders } from './population/orders.js';
import { Population } from './population/population.js';
import { parseInstantUs } from './time/iso.js';
import type { Credentials, EndpointKind, Simulator, SimulatorOptions, SimulatorStats } from './types.js';

export const DEFAULT_CLOCK_START = '2025-01-01T00:00:00Z';

export function defaultCredentials(partial: Partial<Credentials> = {}): Credentials {
  const username = partial.username ?? 'ehrbase-user';
  const password = partial.password ?? 'SuperSecretPassword';
  return {
    username,
    password,
    bearerToken: partial.bearerToken ?? 'atlas-sim-static-token',
    oidcClients: partial.oidcClients ?? [
      { clientId: 'portal' },
      { clientId: 'atlas', clientSecret: 'atlas-secret' },
    ],
    oidcUsers: partial.oidcUsers ?? [{ username, password }],
  };
}

const KINDS: EndpointKind[] = [
  'aql',
  'composition',
  'ehr',
  'template',
  'token',
  'status',
  'control',
  'other',
];

export function emptyStats(): SimulatorStats {
  return Object.fromEntries(KINDS.map((k) => [k, 0])) as SimulatorStats;
}

function ratio(name: string, v: number | undefined, fallback: number): number {
  const r = v ?? fallback;
  if (!(r >= 0 && r <= 1)) throw new Error(`atlas-sim: ${name} must be between 0 and 1, got ${r}`);
  return r;
}

/** Start a simulator on 127.0.0.1 (port 0 = random) and resolve once it listens. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 42;
  const ehrs = opts.ehrs ?? 100;
  if (!Number.isInteger(ehrs) || ehrs < 1)
    throw new Error(`atlas-sim: ehrs must be a positive integer, got ${ehrs}`);
  const generated = opts.compositions ?? Math.round(ehrs * (opts.compositionsPerEhr ?? 5));
  if (!Number.isInteger(generated) || generated < 0)
    throw new Error(`atlas-sim: compositions must be ≥ 0, got ${generated}`);
  const clockStartUs = parseInstantUs(opts.clockStart ?? DEFAULT_CLOCK_START);
  if (Number.isNaN(clockStartUs))
    throw new Error(`atlas-sim: clockStart ${opts.clockStart} is not an ISO date-time`);
  const flavour = opts.flavour ?? 'ehrbase';
  const auth = opts.auth ?? 'none';
  const data = loadDataSet(opts.dataDir ?? DEMO_DATA_DIR, opts.templates);
  const pop = new Population(data, {
    seed,
    ehrs,
    generated,
    includeOriginals: opts.includeOriginals ?? true,
    updateRatio: ratio('updateRatio', opts.updateRatio, 0.1),
    deleteRatio: ratio('deleteRatio', opts.deleteRatio, 0.02),
    backdateRatio: ratio('backdateRatio', opts.backdateRatio, 0.2),
    tieRatio: ratio('tieRatio', opts.tieRatio, 0.05),
    endUs: clockStartUs,
    rangeUs: (opts.commitRangeDays ?? 365) * 86_400_000_000,
  });
  const clock = new SimClock(clockStartUs, opts.clockTicking ?? true);
  const faults = new FaultState(
    {
      ...opts.faults,
      ...(opts.maxFetch !== undefined ? { maxFetch: opts.maxFetch } : {}),
      ...(opts.rejectVersionQueries !== undefined ? { rejectVersionQueries: opts.rejectVersionQueries } : {}),
      ...(opts.flatMissing500 !== undefined ? { flatMissing500: opts.flatMissing500 } : {}),
    },
    seed,
  );
  const tokens = new TokenRegistry(opts.tokenTtlSeconds ?? opts.faults?.tokenTtlSeconds ?? 300, '');
  const ctx: SimContext = {
    pop,
    data,
    flavour,
    auth,
    credentials: defaultCredentials(opts.credentials),
    clock,
    faults,
    tokens,
    stats: emptyStats(),
    arrivals: new Map(),
    mutations: new Mutations(pop, clock),
    urls: { origin: '', base: '', status: '', token: '', control: '', issuer: '' },
  };
  const orders = new Orders(pop);
  const aql = new AqlService(pop, orders, flavour, clock, () => {
    const f = faults.get();
    return {
      maxFetch: f.maxFetch ?? null,
      maxLimit: f.maxLimit ?? null,
      rejectVersionQueries: f.rejectVersionQueries === true,
    };
  });
  const control = createControl(ctx, orders);
  const server = createSimServer(ctx, aql, control);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const apiRoot = flavour === 'better' ? '/ehr/rest' : '/ehrbase/rest';
  ctx.urls = {
    origin,
    base: `${origin}${apiRoot}/openehr/v1`,
    status: `${origin}${apiRoot}/status`,
    issuer: `${origin}/auth/realms/portal`,
    token: `${origin}/auth/realms/portal/protocol/openid-connect/token`,
    control: `${origin}/_sim`,
  };
  tokens.setIssuer(ctx.urls.issuer);
  return {
    baseUrl: ctx.urls.base,
    statusUrl: ctx.urls.status,
    tokenUrl: ctx.urls.token,
    controlUrl: ctx.urls.control,
    port,
    flavour,
    auth,
    credentials: ctx.credentials,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
