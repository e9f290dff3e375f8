import type { Agent } from 'undici';
import type { OpenEhrConfig } from '../config/types.js';
import type { Logger } from '../context.js';
import { type DiscoveryState, discoverChanges } from './aql/discovery.js';
import { countLive, listLive } from './aql/live.js';
import type { AqlRunner } from './aql/runner.js';
import { fetchFlat } from './composition.js';
import { flatConverter } from './flat-converter.js';
import type { Governor } from './http/governor.js';
import type { StatsRecorder } from './http/stats.js';
import type { Transport } from './http/transport.js';
import { ping } from './ping.js';
import { getWebTemplate, listTemplates } from './templates.js';
import type { OpenEhrClient } from './types.js';
import type { Vendor } from './vendors/types.js';

export interface ClientParts {
  config: OpenEhrConfig;
  logger: Logger;
  agent: Agent;
  transport: Transport;
  runner: AqlRunner;
  vendor: Vendor;
  stats: StatsRecorder;
  governor: Governor;
}

/** Wires the parts into the OpenEhrClient the engine uses; each method lives in its own module. */
export function assembleClient(parts: ClientParts): OpenEhrClient {
  const { config, logger, transport, runner, vendor } = parts;
  const baseUrl = config.baseUrl;
  const discovery: DiscoveryState = { mode: 'commit_time', settled: false };
  return {
    discoverChanges: (opts) => discoverChanges(runner, discovery, logger, opts),
    discoveryMode: () => discovery.mode,
    fetchFlat: (ehrId, uid, signal) => fetchFlat({ transport, vendor, baseUrl }, ehrId, uid, signal),
    listLive: (templateId, opts) =>
      listLive(runner, templateId, opts?.pageSize ?? config.query.batchSize, opts?.signal),
    countLive: (templateId, signal) => countLive(runner, templateId, signal),
    listTemplates: (signal) => listTemplates({ transport, baseUrl }, signal),
    flatConverter: (templateId, signal) => flatConverter({ transport, baseUrl }, templateId, signal),
    getWebTemplate: (templateId, signal) => getWebTemplate({ transport, baseUrl }, templateId, signal),
    ping: (signal) => ping({ transport, runner, vendor, baseUrl }, signal),
    stats: () => parts.stats.snapshot(),
    governor: () => parts.governor.summary(),
    close: () => parts.agent.close(),
  };
}
