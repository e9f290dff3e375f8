import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatToStructured } from '../../../sim/convert/structured.js';
import { canonicalToXml } from '../../../sim/convert/xml.js';
import { loadDataSet, type TemplateData } from '../../../sim/data/dataset.js';
import { DEMO_DATA_DIR, SHARED_FIXTURES_DIR, SHARED_FIXTURES_MANIFEST } from '../../../sim/paths.js';
import * as codec from '../../../src/template/index.js';

// The simulator converts with src/template's codec, driven by each template's web template.
const canonicalToFlat = (t: TemplateData, c: Record<string, unknown>) =>
  codec.canonicalToFlat(t.webTemplate!, c);
const flatToCanonical = (t: TemplateData, f: Record<string, unknown>) =>
  codec.flatToCanonical(t.webTemplate!, f);

const demo = loadDataSet(DEMO_DATA_DIR);
const shared = loadDataSet(SHARED_FIXTURES_MANIFEST);

describe('demo data', () => {
  it('has a vital-signs template with root vital_signs and a body temperature magnitude, plus two other templates', () => {
    expect(demo.templates.map((t) => t.templateId)).toEqual([
      'vital_signs.v1',
      'lab_results.v1',
      'problem_list.v1',
    ]);
    // The demo population is generated (`generate: true`); its prototype files are still loaded.
    const vital = demo.templates[0]!.commitFrom!;
    expect(vital.root).toBe('vital_signs');
    expect(vital.flat['vital_signs/body_temperature:0/any_event:0/temperature|magnitude']).toBeTypeOf(
      'number',
    );
    expect(vital.flat['vital_signs/blood_pressure:0/any_event:0/systolic|magnitude']).toBeTypeOf('number');
  });

  it('canonical prototypes convert to their FLAT twins (fractions as EHRbase prints them), and back', () => {
    // The demo files write `…:10.000+01:00`; EHRbase prints a fraction without trailing zeros (`:10.0+01:00`).
    const ehrbaseStyle = (flat: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(flat).map(([k, v]) => [
          k,
          typeof v === 'string'
            ? v.replace(/(\.\d*?)0+(?=[Z+-]|$)/, (_, f: string) => (f === '.' ? '.0' : f))
            : v,
        ]),
      );
    for (const t of demo.templates) {
      for (const p of demo.prototypes.filter((x) => x.templateIndex === t.index && !x.generator)) {
        expect(canonicalToFlat(t, p.canonical)).toEqual(ehrbaseStyle(p.flat));
        const rebuilt = flatToCanonical(t, p.flat);
        expect(canonicalToFlat(t, { ...rebuilt, uid: p.canonical.uid })).toEqual(ehrbaseStyle(p.flat));
      }
    }
  });

  it('pairs every numeric leaf of the demo prototypes so variants vary both forms alike', () => {
    for (const p of demo.prototypes) {
      const numericFlat = Object.entries(p.flat).filter(
        ([k, v]) => typeof v === 'number' && (k.endsWith('|magnitude') || !k.includes('|')),
      );
      expect(p.numeric.map((n) => n.flatKey).sort()).toEqual(numericFlat.map(([k]) => k).sort());
    }
  });
});

describe('converters against the real EHRbase fixtures', () => {
  it('FLAT → STRUCTURED reproduces structured/corona.json', () => {
    const corona = shared.templates.find((t) => t.templateId === 'Corona_Anamnese')!.prototypes[0]!;
    const expected = JSON.parse(
      readFileSync(join(SHARED_FIXTURES_DIR, 'compositions/structured/corona.json'), 'utf8'),
    );
    expect(flatToStructured(corona.flat)).toEqual(expected);
  });

  it('canonical → FLAT reproduces the FLAT fixtures of the same composition', () => {
    for (const id of ['Corona_Anamnese', 'ehrbase_multi_occurrence.de.v1']) {
      const t = shared.templates.find((x) => x.templateId === id)!;
      const p = t.prototypes[0]!;
      const flat = canonicalToFlat(t, p.canonical);
      // The canonical fixtures write some times with a comma and +00:00; EHRbase's FLAT uses '.' and may use Z.
      const norm = (v: unknown) => (typeof v === 'string' ? v.replace(/(\d),(\d)/, '$1.$2') : v);
      expect(Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, norm(v)]))).toEqual(
        Object.fromEntries(Object.entries(p.flat).map(([k, v]) => [k, norm(v)])),
      );
    }
  });

  it('FLAT → canonical → FLAT keeps every fixture key', () => {
    for (const id of ['Corona_Anamnese', 'AlternativeEvents', 'ehrbase_multi_occurrence.de.v1']) {
      const t = shared.templates.find((x) => x.templateId === id)!;
      const p = t.prototypes[0]!;
      const back = canonicalToFlat(t, flatToCanonical(t, p.flat));
      expect(back).toEqual(p.flat);
    }
  });

  it('canonical → XML names the composition, its archetype node and the RM types', () => {
    const xml = canonicalToXml(demo.prototypes[0]!.canonical);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<composition xmlns="http:\/\/schemas.openehr.org\/v1"/,
    );
    expect(xml).toContain('archetype_node_id="openEHR-EHR-COMPOSITION.encounter.v1"');
    expect(xml).toContain(
      '<content archetype_node_id="openEHR-EHR-OBSERVATION.body_temperature.v2" xsi:type="OBSERVATION">',
    );
    expect(xml).toContain('<magnitude>37.2</magnitude>');
  });
});
