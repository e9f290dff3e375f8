import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { canonicalToFlat, flatToCanonical, type WebTemplate } from '../../../src/template/index.js';
import { flatOf } from './codec-generated.js';
import { NOW, webTemplate } from './codec-support.js';

/** Property tests over generated compositions: the round trip is the identity (issue 20, codec oracle). */
const demo = (name: string) =>
  JSON.parse(
    readFileSync(join(process.cwd(), 'sim', 'data', 'demo', 'web-templates', name), 'utf8'),
  ) as WebTemplate;

const TEMPLATES: Array<[string, WebTemplate]> = [
  ['demo vital_signs', demo('vital_signs.json')],
  ['demo lab_results', demo('lab_results.json')],
  ['demo problem_list', demo('problem_list.json')],
  ['test_all_types', webTemplate('test_all_types.json')],
  ['corona_anamnese', webTemplate('corona_anamnese.json')],
  ['AlternativeEvents', webTemplate('AlternativeEvents.json')],
  ['multi_occurrence', webTemplate('multi_occurrence.json')],
];

describe.each(TEMPLATES)('%s: generated compositions', (_name, wt) => {
  it('FLAT → canonical → FLAT gives every key back with its value', () => {
    fc.assert(
      fc.property(flatOf(wt), (flat) => {
        const back = canonicalToFlat(wt, flatToCanonical(wt, flat, { now: NOW }));
        // Plain checks, not expect(): a failing property is shrunk many times over large objects.
        const lost = Object.entries(flat).filter(([k, v]) => back[k] !== v);
        if (lost.length > 0) throw new Error(`changed: ${lost.map(([k]) => k).join(', ')}`);
      }),
      { numRuns: 20 },
    );
  });

  it('canonical → FLAT → canonical is the identity on what the codec produces', () => {
    fc.assert(
      fc.property(flatOf(wt), (flat) => {
        const canonical = flatToCanonical(wt, flat, { now: NOW });
        const flat1 = canonicalToFlat(wt, canonical);
        const canonical2 = flatToCanonical(wt, flat1, { now: NOW });
        if (JSON.stringify(canonical2) !== JSON.stringify(canonical)) throw new Error('canonical differs');
        const flat2 = canonicalToFlat(wt, canonical2);
        if (JSON.stringify(flat2) !== JSON.stringify(flat1)) throw new Error('FLAT differs');
      }),
      { numRuns: 20 },
    );
  });
});
