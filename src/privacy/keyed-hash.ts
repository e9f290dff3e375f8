import { createHmac, timingSafeEqual } from 'node:crypto';
import { anonymizationKeyProblem } from '../config/key-strength.js';
import { ConfigError } from '../errors.js';

/**
 * The anonymisation key. Everything keyed derives from it: tokens, the ehr_id pseudonym, date offsets and
 * audit hashes, each in its own domain (the HMAC input starts with a domain label), so a value from one can
 * never be replayed as another. Error messages never contain the key.
 */
export interface KeyedHasher {
  /** HMAC-SHA-256(key, message). */
  mac(message: string): Buffer;
}

export function createKeyedHasher(key: string | undefined): KeyedHasher {
  assertUsableKey(key);
  return { mac: (message) => createHmac('sha256', key).update(message, 'utf8').digest() };
}

function assertUsableKey(key: string | undefined): asserts key is string {
  const hint =
    'set ATLAS_ANONYMIZATION_KEY (or [anonymization] key) to a random secret of at least 16 characters, e.g. the output of `openssl rand -base64 32`';
  if (key === undefined || key.trim() === '') {
    throw new ConfigError(`anonymization is enabled but no key is configured: ${hint}`);
  }
  const problem = anonymizationKeyProblem(key);
  if (problem) throw new ConfigError(`the anonymization key is ${problem}: ${hint}`);
}

const FINGERPRINT_DOMAIN = 'atlas-key-fingerprint\0v1';

export function keyFingerprint(hasher: KeyedHasher): string {
  return 'kfp1-' + hasher.mac(FINGERPRINT_DOMAIN).subarray(0, 16).toString('hex');
}

export function assertSameKey(hasher: KeyedHasher, stored: string): void {
  const mine = Buffer.from(keyFingerprint(hasher));
  const theirs = Buffer.from(stored);
  if (mine.length !== theirs.length || !timingSafeEqual(mine, theirs)) {
    throw new ConfigError(
      'the anonymization key differs from the key used for the data already in this database ' +
        '(tokens and pseudonyms would no longer match): use the original key, or export into an empty database',
    );
  }
}
