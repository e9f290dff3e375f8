import { describe, expect, it } from 'vitest';
import { parseIsoDateValue } from '../../../src/privacy/generalize/iso-date.js';
import { classifyKey } from '../../../src/privacy/structure/classify-key.js';
import { findPatternHits, resolveOverlaps } from '../../../src/privacy/text/scan-text.js';
import { loadFlatFixtures } from '../transform/flat-fixtures.js';

describe('pattern precision on the real fixtures', () => {
  it('patterns fire only on the embedded date and the URL among all free-text values of the fixtures', () => {
    // Whole ISO date values are dates by structure (structure:date-value) and are not counted here.
    const fired: string[] = [];
    let scanned = 0;
    for (const { name, flat } of loadFlatFixtures()) {
      for (const [key, value] of Object.entries(flat)) {
        if (typeof value !== 'string' || classifyKey(key, 'gdpr').kind !== 'text') continue;
        if (parseIsoDateValue(value, false)) continue;
        scanned++;
        for (const hit of resolveOverlaps(findPatternHits(value, 'gdpr'))) {
          fired.push(`${name} ${key}: ${hit.detector} ${value.slice(hit.start, hit.end)}`);
        }
      }
    }
    expect(scanned).toBeGreaterThan(100);
    expect(fired).toEqual([
      'corona_with_context.json bericht/allgemeine_angaben/dienstleistung:0/aktuelle_aktivität:0/timing: pattern:date 2021-04-01T12:00:00+02:00',
      'test_all_types.json test_all_types/test_all_types:0/multimedia_any: pattern:url www.iana.org',
    ]);
  });
});
