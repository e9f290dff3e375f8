import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalToXml } from '../../../sim/convert/xml.js';
import { xmlToCanonical } from '../../../sim/convert/xml-in.js';
import { composeFlat } from '../../../sim/generate/compose.js';
import { drawsFor } from '../../../sim/generate/random.js';
import { flatToCanonical, type WebTemplate, webTemplateFromOpt } from '../../../src/template/index.js';

const TEMPLATES = join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'templates');
const CANONICAL = join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'compositions', 'canonical');

describe('canonical XML in (POST with application/xml)', () => {
  it.each(readdirSync(TEMPLATES).filter((f) => f.endsWith('.opt')))(
    '%s: XML reads back to the same canonical JSON',
    (file) => {
      const wt = webTemplateFromOpt(readFileSync(join(TEMPLATES, file), 'utf8')) as unknown as WebTemplate;
      for (let i = 0; i < 30; i++) {
        const flat = composeFlat(wt, {
          draws: drawsFor(5, i % 4, i, 1),
          example: false,
          startMs: Date.parse('2024-05-01T10:00:00Z'),
          composer: 'Dr. Ada Berg',
          territory: 'GB',
        });
        const canonical = flatToCanonical(wt, flat, { now: () => '2024-05-01T10:00:00Z' });
        expect(xmlToCanonical(canonicalToXml(canonical))).toEqual(JSON.parse(JSON.stringify(canonical)));
      }
    },
  );

  it.each(readdirSync(CANONICAL))('shared fixture %s: XML reads back to the same canonical JSON', (file) => {
    const canonical = JSON.parse(readFileSync(join(CANONICAL, file), 'utf8'));
    expect(xmlToCanonical(canonicalToXml(canonical))).toEqual(canonical);
  });

  it('refuses XML that is not a canonical composition', () => {
    expect(() => xmlToCanonical('<template/>')).toThrow(/not a <composition>/);
    expect(() => xmlToCanonical('<composition><a></composition>')).toThrow(/not well-formed XML/);
    expect(() =>
      xmlToCanonical('<composition><x xsi:type="DV_COUNT"><value>many</value></x></composition>'),
    ).toThrow(/<value> must be a number/);
  });
});
