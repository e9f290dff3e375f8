import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { OpenEhrConfig } from '../../../src/config/types.js';
import { ConfigError } from '../../../src/errors.js';
import { agentOptions, tlsConnectOptions } from '../../../src/openehr/http/agent.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';

describe('TLS connect options', () => {
  it('verifies by default and keeps the system CA bundle untouched', () => {
    expect(tlsConnectOptions({ tlsVerify: true })).toEqual({ rejectUnauthorized: true });
  });

  it('turns verification off only when configured', () => {
    expect(tlsConnectOptions({ tlsVerify: false })).toEqual({ rejectUnauthorized: false });
  });

  it('adds a custom CA file to the system roots instead of replacing them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-ca-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, PEM);
    const opts = tlsConnectOptions({ tlsVerify: true, tlsCaCert: file });
    expect(opts.rejectUnauthorized).toBe(true);
    expect(opts.ca).toHaveLength(rootCertificates.length + 1);
    expect(opts.ca?.at(-1)).toBe(PEM);
    expect(opts.ca?.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
  });

  it('fails with a ConfigError naming the file when it is unreadable or not PEM', () => {
    expect(() => tlsConnectOptions({ tlsVerify: true, tlsCaCert: '/nonexistent/ca.pem' })).toThrow(
      ConfigError,
    );
    expect(() => tlsConnectOptions({ tlsVerify: true, tlsCaCert: '/nonexistent/ca.pem' })).toThrow(
      /\/nonexistent\/ca\.pem/,
    );
    expect(() => tlsConnectOptions({ tlsVerify: true, tlsCaCert: 'x.pem' }, () => 'not a cert')).toThrow(
      /no PEM/,
    );
  });
});

describe('agent sizing', () => {
  it('sizes the pool to the fetch parallelism and derives timeouts from timeout_seconds', () => {
    const config = { timeoutSeconds: 60, query: { parallelEhrs: 16 } } as OpenEhrConfig;
    expect(agentOptions(config, { rejectUnauthorized: true })).toEqual({
      connections: 20,
      connectTimeoutMs: 30_000,
      headersTimeoutMs: 60_000,
      bodyTimeoutMs: 60_000,
      tls: { rejectUnauthorized: true },
    });
    const short = { timeoutSeconds: 5, query: { parallelEhrs: 1 } } as OpenEhrConfig;
    expect(agentOptions(short, { rejectUnauthorized: true }).connectTimeoutMs).toBe(5000);
  });
});
