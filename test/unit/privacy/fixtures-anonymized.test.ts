import { describe, expect, it } from 'vitest';
import type { AnonymizationConfig } from '../../../src/config/types.js';
import { createAnonymizer } from '../../../src/privacy/index.js';
import { transformComposition } from '../../../src/transform/index.js';
import { loadFlatFixtures } from '../transform/flat-fixtures.js';
import {
  FIXTURE_IDENTIFIERS,
  FIXTURE_QUASI_IDENTIFIERS,
  stringsIn,
  survives,
} from './fixture-identifiers.js';
import { anonymizationConfig, EHR_ID } from './support.js';

/**
 * The unit-level form of "an anonymised export of the real fixtures keeps no original identifier anywhere in
 * the database": what would be stored (the transformed content, both formats) and everything reported about
 * it (findings) are scanned for every identifier of every fixture. The database-level test belongs to the
 * export engine's integration suite.
 */
const SETTINGS: [string, Partial<AnonymizationConfig>][] = [
  ['hipaa token', { mode: 'hipaa_safe_harbor', strategy: 'token' }],
  ['hipaa redact', { mode: 'hipaa_safe_harbor', strategy: 'redact' }],
  ['hipaa generalize (year)', { mode: 'hipaa_safe_harbor', strategy: 'generalize' }],
  ['gdpr token + ehr pseudonym', { mode: 'gdpr', strategy: 'token', pseudonymizeEhrId: true }],
  ['gdpr generalize (year)', { mode: 'gdpr', strategy: 'generalize' }],
];

describe('anonymised fixtures keep no original identifier', () => {
  it.each(SETTINGS)('%s', (_label, settings) => {
    const anonymizer = createAnonymizer(anonymizationConfig(settings));
    for (const { name, flat } of loadFlatFixtures()) {
      const uid = String(Object.entries(flat).find(([k]) => k.endsWith('/_uid'))?.[1] ?? 'none');
      const { flat: out, findings } = anonymizer.apply({
        flat,
        ehrId: EHR_ID,
        compositionUid: uid,
        templateId: name,
      });
      const stored = [transformComposition(out, 'preserve'), transformComposition(out, 'flatten')];
      const values = stored.flatMap((s) => stringsIn(JSON.parse(s.json)));
      const identifiers = [
        ...FIXTURE_IDENTIFIERS[name]!,
        ...(settings.mode === 'gdpr' ? (FIXTURE_QUASI_IDENTIFIERS[name] ?? []) : []),
      ];
      for (const identifier of identifiers) {
        expect(survives(identifier, values), `${name}: "${identifier}" survived`).toBe(false);
        expect(survives(identifier, stringsIn(findings)), `${name}: findings mention "${identifier}"`).toBe(
          false,
        );
      }
      if (settings.pseudonymizeEhrId) expect(JSON.stringify(out)).not.toContain(EHR_ID);
      // Row-level ids stay: the composition's own uid is kept in content too (it is composition_uid).
      if (uid !== 'none') expect(values).toContain(uid);
    }
  });

  it('date shifting moves every date of the fixtures and keeps their intervals', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ strategy: 'generalize', dateShift: true }));
    for (const { name, flat } of loadFlatFixtures()) {
      const { flat: out } = anonymizer.apply({ flat, ehrId: EHR_ID, compositionUid: 'u', templateId: name });
      const dates = Object.keys(flat).filter(
        (k) => typeof flat[k] === 'string' && /^\d{4}-\d{2}-\d{2}/.test(flat[k] as string),
      );
      expect(dates.length, name).toBeGreaterThan(0);
      const day = (v: unknown) => Date.parse(String(v).slice(0, 10));
      const offset = day(out[dates[0]!]) - day(flat[dates[0]!]);
      expect(offset, name).not.toBe(0);
      for (const key of dates) {
        expect(out[key], `${name} ${key}`).not.toBe(flat[key]);
        expect(day(out[key]) - day(flat[key]), `${name} ${key}`).toBe(offset);
        // Same format: only the date part changes.
        expect(String(out[key]).slice(10), `${name} ${key}`).toBe(String(flat[key]).slice(10));
      }
    }
  });

  it('leaves codes, units, terminology, magnitudes and clinical text of the fixtures untouched', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ mode: 'gdpr' }));
    for (const { name, flat } of loadFlatFixtures()) {
      const { flat: out, findings } = anonymizer.apply({
        flat,
        ehrId: EHR_ID,
        compositionUid: 'u',
        templateId: name,
      });
      const changed = new Set(findings.map((f) => f.path.split('#')[0]));
      for (const [key, value] of Object.entries(flat)) {
        if (!changed.has(key)) expect(out[key], `${name} ${key}`).toBe(value);
        if (/\|(code|terminology|unit|magnitude)$|\/_uid$/.test(key))
          expect(changed.has(key), `${name} ${key}`).toBe(false);
      }
    }
  });

  it('checksums cover the anonymised content, and recomputing from the stored JSON agrees (verify)', () => {
    const anonymizer = createAnonymizer(anonymizationConfig());
    for (const { name, flat } of loadFlatFixtures()) {
      const { flat: out } = anonymizer.apply({ flat, ehrId: EHR_ID, compositionUid: 'u', templateId: name });
      const stored = transformComposition(out, 'flatten');
      expect(stored.checksum, name).not.toBe(transformComposition(flat, 'flatten').checksum);
      expect(transformComposition(JSON.parse(stored.json), 'preserve').checksum, name).toBe(stored.checksum);
    }
  });
});
