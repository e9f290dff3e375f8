import { Writable } from 'node:stream';
import pino from 'pino';
import type { Simulator } from '../../../sim/index.js';
import type { AtlasConfig, OpenEhrConfig } from '../../../src/config/types.js';
import type { AppContext } from '../../../src/context.js';
import { createOpenEhrClient } from '../../../src/openehr/index.js';
import type { OpenEhrClient } from '../../../src/openehr/types.js';

/** Retries fast enough for tests; Retry-After is capped at 40 ms. */
export const FAST_RETRY = { maxRetries: 6, initialDelayMs: 1, maxDelayMs: 40, backoffMultiplier: 2 };

export function openEhrConfig(sim: Simulator, over: Partial<OpenEhrConfig> = {}): OpenEhrConfig {
  return {
    baseUrl: sim.baseUrl,
    vendor: sim.flavour,
    authType: 'none',
    oidcGrant: 'password',
    tlsVerify: true,
    timeoutSeconds: 10,
    maxCompositionSizeMb: 64,
    retry: FAST_RETRY,
    query: {
      templateIds: [],
      ehrIds: [],
      batchSize: 100,
      parallelEhrs: 4,
      maxRequestsPerSecond: 0,
      fetch: 'composition',
      flatCheckInterval: 1000,
    },
    ...over,
  };
}

export interface TestClient {
  client: OpenEhrClient;
  /** Every log line the client wrote (JSON strings), for checking warnings and that no secret leaks. */
  logs: string[];
  abort: AbortController;
}

/**
 * A client on a context holding only the [openehr] section: the client reads nothing else, and the full
 * configuration schema belongs to the config module.
 */
export function testClient(openehr: OpenEhrConfig): TestClient {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const abort = new AbortController();
  const ctx: AppContext = {
    config: { openehr } as unknown as AtlasConfig,
    logger: pino({ level: 'debug' }, sink),
    signal: abort.signal,
  };
  return { client: createOpenEhrClient(ctx), logs, abort };
}

/** All pages of an async iterable, flattened. */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Log lines at WARN (pino level 40). */
export function warnings(logs: string[]): Array<{ msg: string } & Record<string, unknown>> {
  return logs.map((l) => JSON.parse(l)).filter((l) => l.level === 40);
}
