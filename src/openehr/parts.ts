import type { AppContext } from '../context.js';
import { ATLAS_VERSION } from '../version.js';
import { createAqlRunner } from './aql/runner.js';
import { createAuth } from './auth/index.js';
import { createTokenFetch } from './auth/token-fetch.js';
import type { ClientParts } from './client.js';
import { agentOptions, createAgent, tlsConnectOptions } from './http/agent.js';
import { OpenEhrHttpError } from './http/errors.js';
import { Governor } from './http/governor.js';
import { createStatsRecorder } from './http/stats.js';
import { createTransport } from './http/transport.js';
import { originOf } from './http/urls.js';
import type { RetryDeps } from './http/with-retry.js';
import { vendorFor } from './vendors/index.js';

/**
 * The pieces of one client: one keep-alive agent (TLS settings, custom CA), one credential source, one
 * retry policy, one request governor (rate ceiling, adaptive fetch concurrency), counters. Separate from the assembly so tests can drive a piece (e.g. the AQL runner)
 * over the same wiring the client uses.
 */
export function createClientParts(ctx: AppContext): ClientParts {
  const config = ctx.config.openehr;
  const logger = ctx.logger.child({ component: 'openehr' });
  const tls = tlsConnectOptions(config);
  if (!tls.rejectUnauthorized) {
    logger.warn(
      { server: originOf(config.baseUrl) },
      'TLS certificate verification is DISABLED for the openEHR server (tls_verify = false); never do this in production',
    );
  }
  const agent = createAgent(agentOptions(config, tls));
  const stats = createStatsRecorder();
  const governor = new Governor({
    maxRequestsPerSecond: config.query.maxRequestsPerSecond,
    maxConcurrency: config.query.parallelEhrs,
    maxPauseMs: config.retry.maxDelayMs,
    logger,
    observer: ctx.observer,
  });
  const retry: RetryDeps = {
    policy: config.retry,
    logger,
    onRetry: (error) => {
      stats.retry();
      ctx.observer?.sourceRetry?.({ reason: retryReason(error) });
    },
  };
  try {
    const auth = createAuth(config, {
      logger,
      runSignal: ctx.signal,
      tokenFetch: () => createTokenFetch(agent, retry, stats, ctx.signal),
    });
    const transport = createTransport({
      agent,
      auth,
      retry,
      stats,
      logger,
      runSignal: ctx.signal,
      origin: originOf(config.baseUrl),
      userAgent: `atlas/${ATLAS_VERSION}`,
      deadlineMs: config.timeoutSeconds * 1000,
      maxCompositionBytes: config.maxCompositionSizeMb * 1024 * 1024,
      observer: ctx.observer,
      governor,
    });
    const runner = createAqlRunner(transport, config.baseUrl, logger);
    return { config, logger, agent, transport, runner, vendor: vendorFor(config), stats, governor };
  } catch (err) {
    void agent.close();
    throw err;
  }
}

/** A retry's cause as a metric label of bounded cardinality: the HTTP status, or `network`. */
function retryReason(error: Error): string {
  return error instanceof OpenEhrHttpError ? String(error.status) : 'network';
}
