import type { IncomingHttpHeaders } from 'node:http';
import type { DataSet } from '../data/dataset.js';
import type { SimClock } from '../population/clock.js';
import type { Mutations } from '../population/mutations.js';
import type { Population } from '../population/population.js';
import type { AuthMode, Credentials, Flavour, SimulatorStats } from '../types.js';
import type { FaultState } from './faults.js';
import type { TokenRegistry } from './tokens.js';

/** Everything a handler may use; one per simulator instance (no module-level state). */
export interface SimContext {
  readonly pop: Population;
  readonly data: DataSet;
  readonly flavour: Flavour;
  readonly auth: AuthMode;
  readonly credentials: Credentials;
  readonly clock: SimClock;
  readonly faults: FaultState;
  readonly tokens: TokenRegistry;
  readonly stats: SimulatorStats;
  /** API requests per wall-clock second (Unix seconds → count); one entry per second, so bounded by uptime. */
  readonly arrivals: Map<number, number>;
  readonly mutations: Mutations;
  /** Filled in once the server listens. */
  urls: { origin: string; base: string; status: string; token: string; control: string; issuer: string };
}

export interface Req {
  method: string;
  /** Decoded path segments after the matched prefix. */
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw path as requested (for error messages and `_href`). */
  path: string;
  body(): Promise<Buffer>;
}
