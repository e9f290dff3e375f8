import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { OpenEhrConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';

/** The TLS part of undici's connect options for one configuration. */
export interface TlsConnectOptions {
  rejectUnauthorized: boolean;
  /** Only set with a custom CA: Node replaces its bundle when `ca` is given, so the system roots are added. */
  ca?: string[];
}

/**
 * TLS settings from the configuration: verification on unless switched off; a custom CA file is trusted in
 * addition to (not instead of) Node's root certificates. `readFile` is injected for tests.
 */
export function tlsConnectOptions(
  config: Pick<OpenEhrConfig, 'tlsVerify' | 'tlsCaCert'>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): TlsConnectOptions {
  if (!config.tlsCaCert) return { rejectUnauthorized: config.tlsVerify };
  let pem: string;
  try {
    pem = readFile(config.tlsCaCert);
  } catch (err) {
    throw new ConfigError(`openehr.tls_ca_cert: cannot read CA file ${config.tlsCaCert}`, { cause: err });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`openehr.tls_ca_cert: ${config.tlsCaCert} holds no PEM certificate`);
  }
  return { rejectUnauthorized: config.tlsVerify, ca: [...rootCertificates, pem] };
}

export interface AgentOptions {
  connections: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  tls: TlsConnectOptions;
}

/**
 * Pool sizing and timeouts: one keep-alive connection per concurrent fetch plus a few for AQL pages and
 * token requests; the read timeouts come from `timeout_seconds`, connecting gets at most 30 s (as before).
 */
export function agentOptions(config: OpenEhrConfig, tls: TlsConnectOptions): AgentOptions {
  const timeoutMs = config.timeoutSeconds * 1000;
  return {
    connections: config.query.parallelEhrs + 4,
    connectTimeoutMs: Math.min(timeoutMs, 30_000),
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: timeoutMs,
    tls,
  };
}

export function createAgent(options: AgentOptions): Agent {
  return new Agent({
    connections: options.connections,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    connect: { timeout: options.connectTimeoutMs, ...options.tls },
  });
}
