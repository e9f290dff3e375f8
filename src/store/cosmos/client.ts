import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { CosmosClient } from '@azure/cosmos';
import type { CosmosConfig } from '../../config/types.js';
import { ConfigError, coerceError } from '../../errors.js';

/**
 * The SDK's own throttling retry (ResourceThrottleRetryPolicy) waits exactly what the server's
 * `x-ms-retry-after-ms` says before retrying a 429'd request. Atlas gives it more attempts and a longer
 * budget than the defaults (9 attempts, 30 s) so a long export under a tight RU budget slows down rather
 * than fails; a batch that still fails is retried whole by the export (idempotent, see write-batch.ts).
 */
const THROTTLE_RETRY = { maxRetryAttemptCount: 20, maxWaitTimeInSeconds: 120 };

/** TLS trust: the system CAs plus tls_ca_cert; no verification at all only with tls_verify = false. */
function httpsAgent(config: CosmosConfig): Agent {
  let extra: string | undefined;
  if (config.tlsCaCert) {
    try {
      extra = readFileSync(config.tlsCaCert, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `cannot read cosmosdb.tls_ca_cert file ${config.tlsCaCert}: ${coerceError(err).message}`,
        {
          cause: err,
        },
      );
    }
  }
  return new Agent({
    keepAlive: true,
    maxSockets: Math.max(4, config.maxConcurrency * 2),
    rejectUnauthorized: config.tlsVerify,
    ...(extra ? { ca: [...rootCertificates, extra] } : {}),
  });
}

export function openCosmosClient(config: CosmosConfig): CosmosClient {
  return new CosmosClient({
    endpoint: config.endpoint,
    key: config.key,
    agent: httpsAgent(config),
    userAgentSuffix: 'openehr-atlas',
    connectionPolicy: {
      requestTimeout: config.requestTimeoutSeconds * 1000,
      retryOptions: {
        ...THROTTLE_RETRY,
        // 0 = use the server's x-ms-retry-after-ms (the SDK's documented behaviour).
        fixedRetryIntervalInMilliseconds: 0,
      },
    },
  });
}

/** The HTTP status of an SDK error (ErrorResponse.code), if any. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return code;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}
