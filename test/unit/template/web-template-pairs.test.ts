import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type WebTemplate, webTemplateFromOpt } from '../../../src/template/index.js';
import { type Difference, referenceDifferences } from './reference-diff.js';

const FIXTURES = join(process.cwd(), '..', 'shared', 'openehr-fixtures');

/**
 * Where a reference file is not what EHRbase serves (docs/templates.md, "Known differences"; the rules in
 * ../shared/docs/web-template-rules.md §12 and §12.1). Each exception names the rule it stands for; the test
 * fails on any difference no exception covers, and on an exception that covers nothing.
 */
interface Exception {
  name: string;
  matches(d: Difference): boolean;
}

// RM attributes the parser adds itself: the other tool's references give them min 0, EHRbase min 1 (§8.2).
const RM_ATTRIBUTE_IDS =
  /^(composer|language|territory|category|start_time|setting|subject|encoding|time|narrative|action_archetype_id|activity_id|instruction_id|math_function|width|current_state|careflow_step|ism_transition)\d*$/;

const rmAttributeMin: Exception = {
  name: 'RM attribute min 1 (EHRbase) vs 0 (reference)',
  matches: (d) => d.field === 'min' && d.ours === 1 && d.reference === 0 && RM_ATTRIBUTE_IDS.test(d.id),
};
const localTerminology: Exception = {
  name: "terminology 'local' on local coded texts (EHRbase) vs absent (reference)",
  matches: (d) =>
    /^inputs\[code:CODED_TEXT\]\.terminology$/.test(d.field) &&
    d.ours === 'local' &&
    d.reference === undefined,
};
/** openEHR rubric of a code: EHRbase gives the English rubric for languages Archie lacks, the reference ''. */
function openEhrRubric(code: string, ids: RegExp): Exception {
  return {
    name: `openEHR rubric of ${code} in localizedLabels`,
    matches: (d) => ids.test(d.id) && d.field === `inputs[code:CODED_TEXT].list[${code}].localizedLabels`,
  };
}
const category433 = openEhrRubric('433', /^category$/);

const EXCEPTIONS: Record<string, Exception[]> = {
  'test_all_types.json': [],
  'AlternativeEvents.json': [rmAttributeMin, localTerminology, category433],
  'multi_occurrence.json': [rmAttributeMin, localTerminology],
  'addiction.json': [rmAttributeMin, category433],
  'corona_anamnese.json': [
    rmAttributeMin,
    localTerminology,
    category433,
    {
      name: 'travel_event INTERVAL_EVENT width/math_function: no inContext (EHRbase) vs true (reference)',
      matches: (d) =>
        /^(width|math_function)$/.test(d.id) &&
        d.field === 'inContext' &&
        d.ours === undefined &&
        d.reference === true,
    },
  ],
  'GECCO_Diagnose.json': [
    localTerminology,
    category433,
    {
      name: 'list values: localizedLabels/localizedDescriptions (OPTParserTest ignores them wholesale for GECCO)',
      matches: (d) =>
        /^inputs\[code:CODED_TEXT\]\.list\[.*\]\.(localizedLabels|localizedDescriptions)$/.test(d.field),
    },
    {
      name: 'name_des_problems_der_diagnose: DV_CODED_TEXT/DV_TEXT merge with code/value/other (EHRbase) vs one DV_TEXT input',
      matches: (d) =>
        d.id === 'name_des_problems_der_diagnose' &&
        (d.field === 'rmType' || /^inputs\[(:TEXT|value:TEXT|code:TEXT)\]$/.test(d.field)),
    },
  ],
  'Testing_Template_N.json': [
    localTerminology,
    {
      name: 'external_terminology: no name predicate (its name constraint is an unconstrained DV_TEXT)',
      matches: (d) => d.id === 'external_terminology' && d.field === 'node',
    },
    {
      name: "testing_dv_text LOINC 1234: label/localized maps from the term (EHRbase) vs empty; default '1234' (reference only)",
      matches: (d) =>
        d.id === 'testing_dv_text' &&
        (/^inputs\[code:CODED_TEXT\]\.list\[1234\]\.(label|localizedLabels|localizedDescriptions)$/.test(
          d.field,
        ) ||
          (d.field === 'inputs[code:CODED_TEXT].defaultValue' &&
            d.ours === undefined &&
            d.reference === '1234')),
    },
    {
      name: "category 433 localizedLabels {en: event} (EHRbase) vs {en: event, sl: ''} (reference)",
      matches: (d) => d.id === 'category' && d.field === 'inputs[code:CODED_TEXT].list[433].localizedLabels',
    },
    {
      name: 'default_boolean defaultValue "true" (EHRbase writes a string) vs true (reference)',
      matches: (d) =>
        d.id === 'default_boolean' &&
        d.field === 'inputs[:BOOLEAN].defaultValue' &&
        d.ours === 'true' &&
        d.reference === true,
    },
  ],
  'befund_der_blutgasanalyse.json': [
    rmAttributeMin,
    localTerminology,
    category433,
    {
      name: "external LOINC values: label and localizedDescriptions {de: ''} (EHRbase) vs absent (reference)",
      matches: (d) =>
        /^inputs\[code:CODED_TEXT\]\.list\[[\d-]+\]\.(label|localizedDescriptions)$/.test(d.field) &&
        d.reference === undefined,
    },
  ],
  'constrain_test.json': [
    rmAttributeMin,
    localTerminology,
    {
      name: 'total_body_surface_area_tbsa_affected denominator default 100.0 (EHRbase) vs absent (reference)',
      matches: (d) =>
        d.id === 'total_body_surface_area_tbsa_affected' &&
        d.field === 'inputs[denominator:DECIMAL].defaultValue' &&
        d.ours === 100 &&
        d.reference === undefined,
    },
  ],
  'language_test.json': [
    rmAttributeMin,
    localTerminology,
    openEhrRubric('433', /^category$/),
    {
      name: "math_function 146: English rubric 'mean' in every language (EHRbase) vs 'Durchschnitt' (reference)",
      matches: (d) =>
        d.id === 'math_function' &&
        /^inputs\[code:CODED_TEXT\]\.list\[146\]\.(label|localizedLabels)$/.test(d.field),
    },
  ],
};

const PAIRS: [opt: string, webTemplate: string][] = [
  ['Test_all_types.opt', 'test_all_types.json'],
  ['AlternativeEvents.opt', 'AlternativeEvents.json'],
  ['ehrbase_multi_occurrence.de.opt', 'multi_occurrence.json'],
  ['additciton_alcohol.opt', 'addiction.json'],
  ['corona_anamnese.opt', 'corona_anamnese.json'],
  ['GECCO_Diagnose.opt', 'GECCO_Diagnose.json'],
  ['Testing_Template_N.opt', 'Testing_Template_N.json'],
  ['Befund_der_Blutgasanalyse.opt', 'befund_der_blutgasanalyse.json'],
  ['constrain_test.opt', 'constrain_test.json'],
  ['language_test.opt', 'language_test.json'],
];

function generate(opt: string): WebTemplate {
  return webTemplateFromOpt(readFileSync(join(FIXTURES, 'templates', opt), 'utf8'));
}

function reference(file: string): WebTemplate {
  return JSON.parse(readFileSync(join(FIXTURES, 'web-templates', file), 'utf8')) as WebTemplate;
}

describe('web templates generated from the fixture OPTs equal the reference files', () => {
  for (const [opt, file] of PAIRS) {
    it(`${opt} → ${file}`, () => {
      const ours = generate(opt);
      const ref = reference(file);
      expect(ours.templateId).toBe(ref.templateId);
      expect(ours.defaultLanguage).toBe(ref.defaultLanguage);
      const exceptions = EXCEPTIONS[file] ?? [];
      const used = new Set<string>();
      const unexplained = referenceDifferences(ours, ref).filter((d) => {
        const e = exceptions.find((x) => x.matches(d));
        if (e) used.add(e.name);
        return !e;
      });
      // A failure lists the path of each differing node and what differs.
      expect(
        unexplained.map(
          (d) =>
            `${d.node}: ${d.field}: ours ${JSON.stringify(d.ours)}, reference ${JSON.stringify(d.reference)}`,
        ),
      ).toEqual([]);
      expect(exceptions.map((e) => e.name).filter((n) => !used.has(n))).toEqual([]);
    });
  }

  it('test_all_types (SDK output) is reproduced key for key, in the same key order', () => {
    const ours = generate('Test_all_types.opt');
    const text = readFileSync(join(FIXTURES, 'web-templates', 'test_all_types.json'), 'utf8');
    expect(JSON.stringify(ours)).toBe(JSON.stringify(JSON.parse(text)));
  });
});
