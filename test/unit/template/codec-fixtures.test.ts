import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalToFlat,
  type FlatComposition,
  flatToCanonical,
  formatFlat,
  type WebTemplate,
  webTemplateFromOpt,
} from '../../../src/template/index.js';
import {
  canonical,
  composition,
  FIXTURES,
  flatDiff,
  flatFixtureFiles,
  NOW,
  valueTexts,
  webTemplate,
} from './codec-support.js';

/**
 * The oracle of issue 20 (codec): every FLAT fixture goes FLAT → canonical → FLAT unchanged (numbers by value),
 * with EHRbase's own tolerances only (openEHR_SDK FlatJsonTest, flat-codec-rules.md §7); every canonical
 * fixture with a FLAT twin converts to it except where EHRbase's marshaller differs from the file (§6.3).
 */
interface FlatCase {
  /** The reference web template (../shared/openehr-fixtures/web-templates), where one exists. */
  webTemplate?: string;
  /** The OPT the file's template comes from; the codec also runs on the web template generated from it. */
  opt: string;
  /** Where EHRbase's round-trip test compares with another file (|raw inputs re-marshal to their expanded twin). */
  expected?: string;
  /** FLAT input with ctx/ keys: every body key comes back, ctx becomes explicit keys. */
  input?: boolean;
  /** Differences EHRbase's own round trip has (`- key` = in the file only, `+ key` = in the output only). */
  tolerated?: string[];
}

/**
 * EHRbase's unmarshaller fills an EVENT_CONTEXT the FLAT leaves out: start_time = ctx/time or now, setting =
 * `238 other care` (EventContextValueInserter, flat-codec-rules.md §5). The file has no context keys at all, so
 * they come back as extra keys, as they do from EHRbase (docs/templates.md).
 */
const CONTEXT_FILLED = [
  '+ nesting/context/setting|code',
  '+ nesting/context/setting|terminology',
  '+ nesting/context/setting|value',
  '+ nesting/context/start_time',
];

const FLAT_CASES: Record<string, FlatCase> = {
  'flat/AlternativeEvents.json': { webTemplate: 'AlternativeEvents.json', opt: 'AlternativeEvents.opt' },
  'flat/corona.json': { webTemplate: 'corona_anamnese.json', opt: 'corona_anamnese.opt' },
  'flat/corona_with_context.json': {
    webTemplate: 'corona_anamnese.json',
    opt: 'corona_anamnese.opt',
    input: true,
  },
  'flat/multi_occurrence.json': {
    webTemplate: 'multi_occurrence.json',
    opt: 'ehrbase_multi_occurrence.de.opt',
  },
  // No reference web template exists for nested.en.v1 (SOURCES.md): only the generated one drives it.
  'flat/nested.en.v1.json': { opt: 'nested.en.v1.opt', tolerated: CONTEXT_FILLED },
  'flat/test_all_types.json': {
    webTemplate: 'test_all_types.json',
    opt: 'Test_all_types.opt',
    // FlatJsonTest.roundTripAll: EHRbase reads a bare identifier and writes `|id` (§3.12).
    tolerated: [
      '+ test_all_types/test_all_types:0/identifier|id',
      '- test_all_types/test_all_types:0/identifier',
    ],
  },
  'flat-more/AlternativeEvents2.json': {
    webTemplate: 'AlternativeEvents.json',
    opt: 'AlternativeEvents.opt',
  },
  'flat-more/corona_with_feeder_audit.json': {
    webTemplate: 'corona_anamnese.json',
    opt: 'corona_anamnese.opt',
  },
  'flat-more/corona_with_feeder_audit_raw.json': {
    webTemplate: 'corona_anamnese.json',
    opt: 'corona_anamnese.opt',
    expected: 'flat-more/corona_with_feeder_audit.json', // FlatJsonTest.roundTripFeederAuditRaw
  },
  'flat-more/corona_with_other_participation.json': {
    webTemplate: 'corona_anamnese.json',
    opt: 'corona_anamnese.opt',
  },
  'flat-more/corona_with_raw.json': {
    webTemplate: 'corona_anamnese.json',
    opt: 'corona_anamnese.opt',
    expected: 'flat/corona.json', // roundTripRaw
  },
  // No reference web template exists for duration_validation (SOURCES.md): only the generated one drives it.
  'flat-more/duration_validation.json': { opt: 'duration_validation.opt' },
};

const generated = new Map<string, WebTemplate>();
/** The web template Atlas generates from an OPT of ../shared/openehr-fixtures/templates (cached: corona is 1.2 MB). */
function generatedWebTemplate(opt: string): WebTemplate {
  let wt = generated.get(opt);
  if (!wt) {
    wt = webTemplateFromOpt(readFileSync(join(FIXTURES, 'templates', opt), 'utf8'));
    generated.set(opt, wt);
  }
  return wt;
}

function roundTrip(wt: WebTemplate, flat: FlatComposition): FlatComposition {
  return canonicalToFlat(wt, flatToCanonical(wt, flat, { now: NOW }));
}

describe('FLAT fixtures: FLAT → canonical → FLAT', () => {
  it('every FLAT fixture file has a case', () => {
    expect(flatFixtureFiles().sort()).toEqual(Object.keys(FLAT_CASES).sort());
  });

  const runnable = Object.entries(FLAT_CASES).filter(([, c]) => !c.input);
  const withReference = runnable.filter(([, c]) => c.webTemplate);
  it.each(withReference)(
    '%s comes back with the same keys and values (reference web template)',
    (file, c) => {
      const back = roundTrip(webTemplate(c.webTemplate!), composition(file));
      const expected = composition(c.expected ?? file);
      expect(flatDiff(expected, back)).toEqual((c.tolerated ?? []).sort());
    },
  );

  it.each(runnable)(
    '%s comes back with the same keys and values (web template generated from the OPT)',
    (file, c) => {
      const back = roundTrip(generatedWebTemplate(c.opt), composition(file));
      const expected = composition(c.expected ?? file);
      expect(flatDiff(expected, back)).toEqual((c.tolerated ?? []).sort());
    },
  );

  it.each([
    ['reference', () => webTemplate('corona_anamnese.json')],
    ['generated', () => generatedWebTemplate('corona_anamnese.opt')],
  ])(
    'flat/corona_with_context.json (input style, %s web template): every body key comes back unchanged, ctx/ becomes explicit keys',
    (_kind, wtOf) => {
      const input = composition('flat/corona_with_context.json');
      const back = roundTrip(wtOf(), input);
      const body = Object.entries(input).filter(([k]) => !k.startsWith('ctx/'));
      expect(body.length).toBe(81);
      for (const [k, v] of body) expect([k, back[k]]).toEqual([k, v]);
      expect(back).toMatchObject({
        'bericht/language|code': 'de',
        'bericht/territory|code': 'US',
        'bericht/composer|name': 'Silvia Blake',
        'bericht/composer|id': '123',
        'bericht/context/start_time': '2021-04-01T12:40:31.418954+02:00',
        'bericht/context/setting|code': '238',
        'bericht/context/_health_care_facility|name': 'Hospital',
        'bericht/context/_health_care_facility|id': '9091',
        'bericht/context/_participation:0|name': 'Dr. Marcus Johnson',
        'bericht/context/_participation:0|mode': 'face-to-face communication',
        'bericht/context/_participation:0|identifiers_id:1': 'id2',
        'bericht/context/_participation:1|identifiers_issuer:1': 'issuer4',
        'bericht/symptome/husten/_work_flow_id|id': '567',
        // A listed code alone gets the template's label and terminology (§3.2).
        'bericht/symptome/husten/spezifisches_symptom_anzeichen/vorhanden|value': 'Nicht vorhanden',
        'bericht/symptome/husten/spezifisches_symptom_anzeichen/vorhanden|terminology': 'local',
      });
    },
  );
});

interface CanonicalCase {
  webTemplate: string;
  flat: string;
  /** EHRbase's marshaller output differs from the file here (flat-codec-rules.md §6.3). */
  differences: string[];
}

const CANONICAL_CASES: Record<string, CanonicalCase> = {
  'compo_corona.json': { webTemplate: 'corona_anamnese.json', flat: 'flat/corona.json', differences: [] },
  // AlternativeEvents.json holds two more events (different instances); AlternativeEvents2 is the marshaller pair.
  'alternative_events.json': {
    webTemplate: 'AlternativeEvents.json',
    flat: 'flat-more/AlternativeEvents2.json',
    differences: [],
  },
  'multi_occurrence.json': {
    webTemplate: 'multi_occurrence.json',
    flat: 'flat/multi_occurrence.json',
    differences: [],
  },
  'all_types_no_multimedia.json': {
    webTemplate: 'test_all_types.json',
    flat: 'flat/test_all_types.json',
    differences: [
      '+ test_all_types/test_all_types2:0/uri',
      '+ test_all_types/test_all_types:0/identifier|id',
      '+ test_all_types/test_all_types:0/proportion_any|precision',
      '- test_all_types/test_all_types:0/identifier',
      '~ test_all_types/test_all_types:0/duration_any: "PT30M" -> "P1Y2M10DT2H30M"',
    ],
  },
};

describe('canonical fixtures → their FLAT twins', () => {
  it.each(Object.entries(CANONICAL_CASES))('%s converts to its FLAT file', (file, c) => {
    const flat = canonicalToFlat(webTemplate(c.webTemplate), canonical(file));
    expect(flatDiff(composition(c.flat), flat)).toEqual(c.differences.sort());
  });

  it('prints reals as EHRbase does: compo_corona.json gives exactly the value texts of corona.json (39.0)', () => {
    const flat = canonicalToFlat(webTemplate('corona_anamnese.json'), canonical('compo_corona.json'));
    const ours = new Map(
      [...formatFlat(flat).matchAll(/^ {2}("(?:[^"\\]|\\.)*") : (.*?),?$/gm)].map((m) => [
        JSON.parse(m[1]!) as string,
        m[2]!,
      ]),
    );
    expect(ours).toEqual(valueTexts('flat/corona.json'));
    expect(ours.get('bericht/symptome/körpertemperatur/temperatur|magnitude')).toBe('39.0');
  });

  it('multi_occurrence: EHRbase prints 22.0 where the fixture file has 22 (§6.1, FlatJsonMarshallerTest)', () => {
    const flat = canonicalToFlat(webTemplate('multi_occurrence.json'), canonical('multi_occurrence.json'));
    const text = formatFlat(flat);
    expect(text).toContain('"encounter/body_temperature:0/any_event:0/temperature|magnitude" : 22.0');
    expect(
      valueTexts('flat/multi_occurrence.json').get(
        'encounter/body_temperature:0/any_event:0/temperature|magnitude',
      ),
    ).toBe('22');
  });
});
