import { createHmac } from 'node:crypto';
import type { AnonymizationConfig } from '../../../src/config/types.js';

export const TEST_KEY = 'unit-test-key-4f9a1c7e2b';

export function anonymizationConfig(overrides: Partial<AnonymizationConfig> = {}): AnonymizationConfig {
  return {
    enabled: true,
    mode: 'hipaa_safe_harbor',
    strategy: 'token',
    dryRun: false,
    key: TEST_KEY,
    pseudonymizeEhrId: false,
    dateShift: false,
    audit: { enabled: true, logPath: '/nonexistent/audit.log', jsonFormat: true },
    ...overrides,
  };
}

/** RFC 4648 base32 via BigInt: an implementation independent of src/privacy/base32.ts. */
export function referenceBase32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = bytes.length * 8;
  const groups = Math.ceil(bits / 5);
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`) << BigInt(groups * 5 - bits);
  let out = '';
  for (let i = 0; i < groups; i++) {
    out = alphabet[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

/** The documented token formula, computed here with node:crypto only. */
export function referenceToken(key: string, category: string, normalised: string): string {
  const mac = createHmac('sha256', key).update(`${category}\0${normalised}`).digest();
  return `${category}-${referenceBase32(mac.subarray(0, 10))}`;
}

export const EHR_ID = '7d44b88c-4199-4bad-97dc-d78268e01398';
