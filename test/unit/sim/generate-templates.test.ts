import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { constraintViolations } from '../../../sim/convert/constraints.js';
import { composeFlat } from '../../../sim/generate/compose.js';
import { drawsFor, EXAMPLE_DRAWS } from '../../../sim/generate/random.js';
import {
  canonicalToFlat,
  flatToCanonical,
  type WebTemplate,
  webTemplateFromOpt,
} from '../../../src/template/index.js';

const TEMPLATES = join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'templates');
const opts = readdirSync(TEMPLATES).filter((f) => f.endsWith('.opt'));

function wtOf(file: string): WebTemplate {
  return webTemplateFromOpt(readFileSync(join(TEMPLATES, file), 'utf8')) as unknown as WebTemplate;
}

const now = () => '2024-05-01T10:00:00.000Z';

describe('compositions generated from web templates', () => {
  it.each(opts)('%s: the example and 100 generated compositions convert and round-trip', (file) => {
    const wt = wtOf(file);
    const runs = [
      composeFlat(wt, {
        draws: EXAMPLE_DRAWS,
        example: true,
        startMs: 0,
        composer: 'Max Mustermann',
        territory: 'DE',
      }),
      ...Array.from({ length: 100 }, (_, i) =>
        composeFlat(wt, {
          draws: drawsFor(7, i % 10, i, 1),
          example: false,
          startMs: Date.parse('2024-05-01T10:00:00Z') - i * 3_600_000,
          composer: 'Dr. Ada Berg',
          territory: 'GB',
        }),
      ),
    ];
    for (const flat of runs) {
      const canonical = flatToCanonical(wt, flat, { now });
      const served = canonicalToFlat(wt, canonical);
      expect(Object.keys(served).length).toBeGreaterThan(3);
      expect(constraintViolations(wt, served)).toEqual([]);
      const again = flatToCanonical(wt, served, { now });
      expect(canonicalToFlat(wt, again)).toEqual(served);
    }
  });
});
