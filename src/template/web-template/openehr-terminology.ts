/** The openEHR terminology's `setting` group (code → English rubric), shared with the FLAT codec. */
export const OPENEHR_SETTINGS: Readonly<Record<string, string>> = {
  '225': 'home',
  '227': 'emergency care',
  '228': 'primary medical care',
  '229': 'primary nursing care',
  '230': 'primary allied health care',
  '231': 'midwifery care',
  '232': 'secondary medical care',
  '233': 'secondary nursing care',
  '234': 'secondary allied health care',
  '235': 'complementary health care',
  '236': 'dental care',
  '237': 'nursing home care',
  '238': 'other care',
};

/**
 * English rubrics of the openEHR terminology groups that templates constrain with `terminology_id` openehr
 * (openEHR terminology, as Archie ships it). EHRbase looks them up by the RM attribute that holds the coded
 * text (openEHR_SDK AttributeCodesets); a code it does not know is labelled with the code itself.
 * Only English is carried: for other languages EHRbase falls back to English too, except es/ja/pt, which
 * Archie has (docs/templates.md lists this as a known difference).
 */
const GROUPS: Record<string, Record<string, string>> = {
  'composition category': { '431': 'persistent', '433': 'event', '451': 'episodic' },
  setting: OPENEHR_SETTINGS,
  'event math function': {
    '144': 'maximum',
    '145': 'minimum',
    '146': 'mean',
    '147': 'change',
    '148': 'total',
    '149': 'variation',
    '267': 'mode',
    '268': 'median',
    '521': 'decrease',
    '522': 'increase',
    '640': 'actual',
  },
  'instruction states': {
    '524': 'initial',
    '526': 'planned',
    '527': 'postponed',
    '528': 'cancelled',
    '529': 'scheduled',
    '245': 'active',
    '530': 'suspended',
    '531': 'aborted',
    '532': 'completed',
    '533': 'expired',
  },
  'null flavours': { '271': 'no information', '253': 'unknown', '272': 'masked', '273': 'not applicable' },
};

/** RM attribute → terminology group (openEHR_SDK AttributeCodesets, the groups above). */
const ATTRIBUTE_GROUPS: Record<string, string> = {
  category: 'composition category',
  setting: 'setting',
  math_function: 'event math function',
  current_state: 'instruction states',
  null_flavour: 'null flavours',
};

export function groupOfAttribute(attribute: string | undefined): string | undefined {
  return attribute === undefined ? undefined : ATTRIBUTE_GROUPS[attribute];
}

export interface OpenEhrTerm {
  code: string;
  rubric: string;
}

/**
 * The terms for a constrained code list (or the whole group when the list is empty). Without a group,
 * codes are looked up in every group.
 */
export function openEhrTerms(codes: readonly string[], group: string | undefined): OpenEhrTerm[] {
  const table = group ? (GROUPS[group] ?? {}) : Object.assign({}, ...Object.values(GROUPS));
  if (codes.length === 0) {
    return Object.entries(table as Record<string, string>).map(([code, rubric]) => ({ code, rubric }));
  }
  return codes.map((code) => ({ code, rubric: (table as Record<string, string>)[code] ?? code }));
}
