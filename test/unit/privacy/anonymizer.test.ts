import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAnonymizer } from '../../../src/privacy/index.js';
import type { FlatComposition } from '../../../src/transform/types.js';
import { anonymizationConfig, EHR_ID, referenceToken, TEST_KEY } from './support.js';

const input = (flat: FlatComposition, ehrId = EHR_ID) => ({
  flat,
  ehrId,
  compositionUid: 'c1::sys::1',
  templateId: 't',
});

const NOTE = 'enc/progress_note:0/narrative';

describe('free text', () => {
  it('replaces only the identifying substrings and keeps the clinical text around them', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ strategy: 'redact' }));
    const { flat } = anonymizer.apply(
      input({
        [NOTE]: 'Seen by Dr. Gregory House on 12.03.2021; call +49 621 1234567. BP 120/80 mmHg, afebrile.',
      }),
    );
    expect(flat[NOTE]).toBe(
      'Seen by Dr. [REDACTED_NAME] on [REDACTED_DATE]; call [REDACTED_PHONE]. BP 120/80 mmHg, afebrile.',
    );
  });

  it('finds identifiers inside arrays and nested objects too', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ strategy: 'redact' }));
    const { flat, findings } = anonymizer.apply(
      input({ 'enc/notes|raw': { items: ['mail jane.doe@example.org', { when: '2021-04-01' }], count: 2 } }),
    );
    expect(flat['enc/notes|raw']).toEqual({
      items: ['mail [REDACTED_EMAIL]', { when: '[REDACTED_DATE]' }],
      count: 2,
    });
    expect(findings.map((f) => f.path)).toEqual(['enc/notes|raw#/items/0', 'enc/notes|raw#/items/1/when']);
  });

  it('finds the names and ids the composition itself records wherever they recur', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ strategy: 'token' }));
    const { flat, findings } = anonymizer.apply(
      input({
        'enc/composer|name': 'Silvia Blake',
        'enc/obs:0/identifier': 'X-55175056',
        'enc/obs:0/identifier|issuer': 'Hospital de Clinicas',
        [NOTE]: 'Blake informed; sample X-55175056 sent. Silvia Blake to review.',
      }),
    );
    const name = referenceToken(TEST_KEY, 'NAME', 'silvia blake');
    expect(flat['enc/composer|name']).toBe(name);
    expect(flat[NOTE]).toBe(
      `${referenceToken(TEST_KEY, 'NAME', 'blake')} informed; sample ${referenceToken(TEST_KEY, 'IDENTIFIER', 'X-55175056')} sent. ${name} to review.`,
    );
    expect(findings.filter((f) => f.path === NOTE).map((f) => f.detector)).toEqual([
      'known-value:name',
      'known-value:identifier',
      'known-value:name',
    ]);
  });

  it('writes the ehr_id pseudonym where the EHR id recurs in content, whatever the strategy', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ strategy: 'redact', pseudonymizeEhrId: true }));
    const { flat, findings } = anonymizer.apply(input({ [NOTE]: `see EHR ${EHR_ID} for history` }));
    expect(flat[NOTE]).toBe(`see EHR ${anonymizer.pseudonymizeEhrId(EHR_ID)} for history`);
    expect(findings[0]).toMatchObject({
      category: 'IDENTIFIER',
      strategy: 'pseudonym',
      detector: 'known-value:ehr-id',
    });
  });
});

describe('structural fields', () => {
  it('apply each strategy to a whole field', () => {
    const flat = {
      'enc/composer|name': 'Dr. House',
      'enc/context/start_time': '2019-01-14T18:36:49.294Z',
      'enc/patient/address/postal_code': '02115',
    };
    const run = (strategy: 'token' | 'redact' | 'generalize') =>
      createAnonymizer(anonymizationConfig({ strategy })).apply(input(flat)).flat;
    expect(run('token')).toEqual({
      'enc/composer|name': referenceToken(TEST_KEY, 'NAME', 'dr. house'),
      'enc/context/start_time': referenceToken(TEST_KEY, 'DATE', '2019-01-14T18:36:49.294Z'),
      'enc/patient/address/postal_code': referenceToken(TEST_KEY, 'LOCATION', '02115'),
    });
    expect(run('redact')).toEqual({
      'enc/composer|name': '[REDACTED_NAME]',
      'enc/context/start_time': '[REDACTED_DATE]',
      'enc/patient/address/postal_code': '[REDACTED_LOCATION]',
    });
    expect(run('generalize')).toEqual({
      'enc/composer|name': '[REDACTED_NAME]',
      'enc/context/start_time': '2019',
      'enc/patient/address/postal_code': '02100',
    });
  });

  it('keeps ages of 89 and below in hipaa_safe_harbor mode and generalises older ones', () => {
    const flat = { 'r/person/age:0|magnitude': 89, 'r/person/age:1|magnitude': 93, 'r/person/age:2': 'P95Y' };
    const hipaa = createAnonymizer(anonymizationConfig({ strategy: 'generalize' })).apply(input(flat));
    expect(hipaa.flat).toEqual({
      'r/person/age:0|magnitude': 89,
      'r/person/age:1|magnitude': '90+',
      'r/person/age:2': '90+',
    });
    const gdpr = createAnonymizer(anonymizationConfig({ mode: 'gdpr', strategy: 'generalize' })).apply(
      input(flat),
    );
    expect(gdpr.flat['r/person/age:0|magnitude']).toBe('85-89');
  });

  it('tells an e-mail address from a phone number in a telecom field and in a party name', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ strategy: 'redact' }));
    const { flat } = anonymizer.apply(
      input({
        'r/contact/telecom:0|value': 'jane@example.org',
        'r/contact/telecom:1|value': '+1 617 555 0143',
        'r/composer|name': 'birger.haarbrandt@plri.de',
      }),
    );
    expect(flat).toEqual({
      'r/contact/telecom:0|value': '[REDACTED_EMAIL]',
      'r/contact/telecom:1|value': '[REDACTED_PHONE]',
      'r/composer|name': '[REDACTED_EMAIL]',
    });
  });

  it('stores a __proto__ key as data and does not touch the input', () => {
    const flat = JSON.parse('{"__proto__": "x", "r/composer|name": "Dr. House"}') as FlatComposition;
    const before = JSON.stringify(flat);
    const { flat: out } = createAnonymizer(anonymizationConfig({ strategy: 'redact' })).apply(input(flat));
    expect(Object.keys(out)).toEqual(['__proto__', 'r/composer|name']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(flat)).toBe(before);
  });
});

describe('findings', () => {
  const flat = { 'enc/composer|name': 'Dr. House', [NOTE]: 'call 617-555-0143' };

  it('carry path, category, strategy, detector and a keyed hash, never a value', () => {
    const { findings } = createAnonymizer(anonymizationConfig()).apply(input(flat));
    const hash = (v: string) =>
      createHmac('sha256', TEST_KEY).update(`audit:${v}`).digest().subarray(0, 16).toString('hex');
    expect(findings).toEqual([
      {
        path: 'enc/composer|name',
        category: 'NAME',
        strategy: 'token',
        detector: 'structure:party-name',
        keyedHash: hash('Dr. House'),
      },
      {
        path: NOTE,
        category: 'PHONE',
        strategy: 'token',
        detector: 'pattern:phone',
        keyedHash: hash('617-555-0143'),
      },
    ]);
    for (const secret of ['House', '617', '555', '0143'])
      expect(JSON.stringify(findings)).not.toContain(secret);
  });

  it('skip the keyed hash when no audit log will read it', () => {
    const config = anonymizationConfig({ audit: { enabled: false, logPath: '', jsonFormat: true } });
    const { findings } = createAnonymizer(config).apply(input(flat));
    expect(findings.map((f) => f.keyedHash)).toEqual(['', '']);
  });
});

describe('dry run', () => {
  it('returns the composition itself, unchanged, with the findings a real run would make', () => {
    const flat = { 'enc/composer|name': 'Dr. House', [NOTE]: 'call 617-555-0143', 'enc/obs|unit': 'mg' };
    const before = JSON.stringify(flat);
    const real = createAnonymizer(anonymizationConfig()).apply(input(flat));
    const dry = createAnonymizer(anonymizationConfig({ dryRun: true })).apply(input(flat));
    expect(dry.flat).toBe(flat);
    expect(JSON.stringify(flat)).toBe(before);
    expect(dry.findings.map(({ keyedHash: _, ...f }) => f)).toEqual(
      real.findings.map(({ keyedHash: _, ...f }) => f),
    );
    expect(dry.findings.every((f) => f.keyedHash === '')).toBe(true);
  });
});

describe('determinism', () => {
  it('two anonymizers with the same key give identical output for the same input', () => {
    const flat = {
      'enc/composer|name': 'Dr. House',
      [NOTE]: 'Dr. House saw her on 2021-04-01',
      'enc/context/start_time': '2021-04-01T10:00:00Z',
    };
    for (const strategy of ['token', 'redact', 'generalize'] as const) {
      const config = anonymizationConfig({ strategy, dateShift: true, pseudonymizeEhrId: true });
      const a = createAnonymizer(config).apply(input(flat));
      const b = createAnonymizer(config).apply(input(flat));
      expect(a).toEqual(b);
    }
  });

  it('shifts all dates of one EHR by the same offset, across compositions', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ strategy: 'generalize', dateShift: true }));
    const a = anonymizer.apply(input({ 'enc/context/start_time': '2021-04-01T10:00:00Z' })).flat;
    const b = anonymizer.apply(input({ [NOTE]: 'follow-up 2021-04-11' })).flat;
    const day = (s: string) => Date.parse(s.slice(0, 10));
    const shiftedFollowUp = /\d{4}-\d{2}-\d{2}/.exec(String(b[NOTE]))![0];
    expect(day(shiftedFollowUp) - day(String(a['enc/context/start_time']))).toBe(10 * 86_400_000);
  });
});
