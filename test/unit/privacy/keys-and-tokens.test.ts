import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../../../src/errors.js';
import { base32 } from '../../../src/privacy/base32.js';
import { createAnonymizer } from '../../../src/privacy/index.js';
import { createKeyedHasher } from '../../../src/privacy/keyed-hash.js';
import { createTokenizer, normaliseForToken } from '../../../src/privacy/tokens.js';
import { anonymizationConfig, EHR_ID, referenceBase32, referenceToken, TEST_KEY } from './support.js';

describe('the anonymization key', () => {
  it.each([
    ['missing', undefined, /no key is configured/],
    ['empty', '   ', /no key is configured/],
    ['too short', 'short-key-12', /too short \(12 characters, at least 16/],
    ['too simple', 'aaaaaaaaaaaaaaaaaaaabbbb', /too simple/],
  ])('%s → ConfigError, exit 2, naming the fix but never the key', (_label, key, message) => {
    let error: unknown;
    try {
      createAnonymizer(anonymizationConfig({ key }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.usage);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/ATLAS_ANONYMIZATION_KEY/);
    if (key?.trim()) expect((error as Error).message).not.toContain(key);
  });

  it('a different key is refused against the stored fingerprint, the same key accepted', () => {
    const first = createAnonymizer(anonymizationConfig());
    const stored = first.keyFingerprint();
    expect(stored).toMatch(/^kfp1-[0-9a-f]{32}$/);
    expect(stored).not.toContain(TEST_KEY);
    expect(() => createAnonymizer(anonymizationConfig()).assertSameKey(stored)).not.toThrow();
    const other = createAnonymizer(anonymizationConfig({ key: 'another-key-9b8c7d6e5f' }));
    expect(() => other.assertSameKey(stored)).toThrow(ConfigError);
    expect(() => other.assertSameKey(stored)).toThrow(/differs from the key used/);
  });
});

describe('base32', () => {
  it('matches RFC 4648 test vectors and an independent implementation', () => {
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32(Buffer.from('f'))).toBe('MY');
    for (let n = 1; n <= 20; n++) {
      const bytes = createHmac('sha256', 'k').update(String(n)).digest().subarray(0, n);
      expect(base32(bytes)).toBe(referenceBase32(bytes));
    }
  });
});

describe('tokens', () => {
  const tokenize = createTokenizer(createKeyedHasher(TEST_KEY));

  it('follow the documented formula: CATEGORY-base32(HMAC-SHA-256(key, category \\0 normalised)[0..10])', () => {
    expect(tokenize('NAME', 'Dr. House')).toBe(referenceToken(TEST_KEY, 'NAME', 'dr. house'));
    expect(tokenize('DATE', '2019-01-14')).toBe(referenceToken(TEST_KEY, 'DATE', '2019-01-14'));
    expect(tokenize('PHONE', '+49 (621) 123-4567')).toBe(referenceToken(TEST_KEY, 'PHONE', '+496211234567'));
    expect(tokenize('NAME', 'Dr. House')).toMatch(/^NAME-[A-Z2-7]{16}$/);
  });

  it('give equal tokens for equal values written differently, and different ones across categories', () => {
    expect(tokenize('EMAIL', ' Jane.Doe@Example.org ')).toBe(tokenize('EMAIL', 'jane.doe@example.org'));
    expect(tokenize('PHONE', '(555) 123-4567')).toBe(tokenize('PHONE', '555.123.4567'));
    expect(tokenize('NATIONAL_ID', '943 476 5919')).toBe(tokenize('NATIONAL_ID', '943-476-5919'));
    expect(tokenize('NAME', 'Silvia  Blake')).toBe(tokenize('NAME', 'silvia blake'));
    expect(tokenize('IDENTIFIER', '123')).not.toBe(tokenize('MRN', '123'));
    expect(tokenize('NAME', 'Anna')).not.toBe(tokenize('NAME', 'Anne'));
  });

  it('depend on the key', () => {
    const other = createTokenizer(createKeyedHasher('another-key-9b8c7d6e5f'));
    expect(other('NAME', 'Dr. House')).not.toBe(tokenize('NAME', 'Dr. House'));
  });

  it('normalise per category', () => {
    expect(normaliseForToken('FAX', 'Fax +1 (555) 123-4567')).toBe('+15551234567');
    expect(normaliseForToken('ACCOUNT', 'de89 3704-0044')).toBe('DE8937040044');
    expect(normaliseForToken('IDENTIFIER', ' AbC 1 ')).toBe('AbC 1');
    expect(normaliseForToken('LOCATION', 'Mannheim ')).toBe('mannheim');
  });
});

describe('the ehr_id pseudonym', () => {
  it('is ehr- plus 32 hex characters of HMAC(key, "ehr_id\\0" + id), stable across anonymizers', () => {
    const expected = `ehr-${createHmac('sha256', TEST_KEY).update(`ehr_id\0${EHR_ID}`).digest().subarray(0, 16).toString('hex')}`;
    expect(createAnonymizer(anonymizationConfig()).pseudonymizeEhrId(EHR_ID)).toBe(expected);
    expect(createAnonymizer(anonymizationConfig({ mode: 'gdpr' })).pseudonymizeEhrId(EHR_ID)).toBe(expected);
    expect(expected).toHaveLength(36);
  });
});

describe('determinism across processes', () => {
  it('a separate Node.js process computing the documented formulas gets the tokens and pseudonym this one uses', () => {
    // The child knows nothing of Atlas: it applies the formulas from docs/privacy.md with node:crypto.
    const child = `
      import { createHmac } from 'node:crypto';
      const [key, ehrId] = process.argv.slice(1);
      const b32 = (bytes) => { const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'; let bits = '', out = '';
        for (const b of bytes) bits += b.toString(2).padStart(8, '0');
        for (let i = 0; i < bits.length; i += 5) out += a[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
        return out; };
      const token = (c, v) => c + '-' + b32(createHmac('sha256', key).update(c + '\\0' + v).digest().subarray(0, 10));
      console.log(JSON.stringify({
        name: token('NAME', 'silvia blake'),
        date: token('DATE', '2021-04-01T12:40:31.418954+02:00'),
        ehr: 'ehr-' + createHmac('sha256', key).update('ehr_id\\0' + ehrId).digest().subarray(0, 16).toString('hex'),
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', child, TEST_KEY, EHR_ID], {
      encoding: 'utf8',
    });
    const fromChild = JSON.parse(out) as { name: string; date: string; ehr: string };
    const anonymizer = createAnonymizer(anonymizationConfig({ pseudonymizeEhrId: true }));
    const { flat } = anonymizer.apply({
      flat: { 'x/composer|name': 'Silvia Blake', 'x/context/start_time': '2021-04-01T12:40:31.418954+02:00' },
      ehrId: EHR_ID,
      compositionUid: 'u::s::1',
      templateId: 't',
    });
    expect(flat['x/composer|name']).toBe(fromChild.name);
    expect(flat['x/context/start_time']).toBe(fromChild.date);
    expect(anonymizer.pseudonymizeEhrId(EHR_ID)).toBe(fromChild.ehr);
  });
});
