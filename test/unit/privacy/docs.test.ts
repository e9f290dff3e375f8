import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEXT_DETECTORS } from '../../../src/privacy/index.js';
import { ELEMENT_RULES } from '../../../src/privacy/structure/element-rules.js';

// Runs of spaces are collapsed: the formatter pads table columns, which must not count as a difference.
const doc = readFileSync(join(process.cwd(), 'docs', 'privacy.md'), 'utf8').replace(/ {2,}/g, ' ');

describe('docs/privacy.md', () => {
  it('documents every pattern detector with exactly what its code says it catches and misses', () => {
    for (const d of TEXT_DETECTORS) {
      const row = `| \`${d.name}\` | ${d.category} | ${d.catches} | ${d.misses} |`.replace(/ {2,}/g, ' ');
      expect(doc, d.name).toContain(row);
    }
  });

  it('names every structure-aware detector', () => {
    const structural = [
      ...ELEMENT_RULES.map((r) => r.detector),
      'structure:party-name',
      'structure:party-id',
      'structure:identifier',
      'structure:facility-name',
      'structure:care-location',
      'structure:link',
      'structure:image',
      'structure:date-value',
      'known-value:name',
      'known-value:identifier',
      'known-value:ehr-id',
    ];
    for (const name of structural) expect(doc, name).toContain(`\`${name}\``);
  });
});
