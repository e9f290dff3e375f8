/**
 * The slice of the openEHR Reference Model (as Archie 3.13 describes it, which EHRbase's generator reads by
 * reflection) that web-template generation needs: which types are LOCATABLE, which attributes the generator
 * adds to a node on its own (in Archie's order), and which attribute names each type has.
 */

const ENTRY_TYPES = ['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION', 'ADMIN_ENTRY', 'GENERIC_ENTRY'];
const EVENT_TYPES = ['EVENT', 'POINT_EVENT', 'INTERVAL_EVENT'];

/** rm_type_names of LOCATABLE and its descendants: only these carry a node id (at-code) in paths. */
export const LOCATABLE_TYPES: ReadonlySet<string> = new Set([
  'LOCATABLE',
  'COMPOSITION',
  'CONTENT_ITEM',
  'SECTION',
  'ENTRY',
  'CARE_ENTRY',
  ...ENTRY_TYPES,
  'ACTIVITY',
  'DATA_STRUCTURE',
  'HISTORY',
  ...EVENT_TYPES,
  'ITEM_STRUCTURE',
  'ITEM_TREE',
  'ITEM_LIST',
  'ITEM_SINGLE',
  'ITEM_TABLE',
  'ITEM',
  'CLUSTER',
  'ELEMENT',
  'FOLDER',
  'EHR_STATUS',
  'EHR_ACCESS',
  'PARTY',
  'ACTOR',
  'PERSON',
  'ORGANISATION',
  'GROUP',
  'AGENT',
  'ROLE',
  'CONTACT',
  'ADDRESS',
  'PARTY_IDENTITY',
  'PARTY_RELATIONSHIP',
  'CAPABILITY',
  'EXTRACT',
  'EXTRACT_CHAPTER',
  'EXTRACT_FOLDER',
  'EXTRACT_ENTITY_CHAPTER',
  'GENERIC_CONTENT_ITEM',
]);

export function isEvent(rmType: string): boolean {
  return EVENT_TYPES.includes(rmType);
}

/** An RM attribute the generator adds as a node when the OPT does not constrain it. */
export interface RmAttribute {
  name: string;
  /** Archie's type name of the attribute (element type for collections). */
  type: string;
  multiple: boolean;
  nullable: boolean;
}

const a = (name: string, type: string, nullable: boolean, multiple = false): RmAttribute => ({
  name,
  type,
  multiple,
  nullable,
});

// Attributes of LOCATABLE that every LOCATABLE gets and the filter always removes.
const LOCATABLE_ATTRS = [
  a('name', 'DV_TEXT', false),
  a('archetype_node_id', 'STRING', false),
  a('uid', 'UID_BASED_ID', true),
  a('archetype_details', 'ARCHETYPED', true),
  a('feeder_audit', 'FEEDER_AUDIT', true),
  a('links', 'LINK', true, true),
];
const ENTRY_INTERNAL = [
  a('provider', 'PARTY_PROXY', true),
  a('other_participations', 'PARTICIPATION', true, true),
  a('workflow_id', 'OBJECT_REF', true),
];
const ENTRY_LEAD = [a('subject', 'PARTY_PROXY', false), a('language', 'CODE_PHRASE', false)];
const ENCODING = a('encoding', 'CODE_PHRASE', false);
const GUIDELINE = a('guideline_id', 'OBJECT_REF', true);
const TIME = a('time', 'DV_DATE_TIME', false);

/**
 * The attributes addRMAttributes adds per type: computed attributes, `value`, EVENT `offset`, attributes
 * of a LOCATABLE type and DV_INTERVAL `interval` are never added. The order of those that survive the
 * filter is Archie's attribute HashMap order (checked against SDK-generated web templates); the ones the
 * filter always removes follow in any order.
 */
const ADDED_ATTRIBUTES: Record<string, RmAttribute[]> = {
  COMPOSITION: [
    a('composer', 'PARTY_PROXY', false),
    a('language', 'CODE_PHRASE', false),
    a('context', 'EVENT_CONTEXT', true),
    a('category', 'DV_CODED_TEXT', false),
    a('territory', 'CODE_PHRASE', false),
    ...LOCATABLE_ATTRS,
  ],
  EVENT_CONTEXT: [
    a('start_time', 'DV_DATE_TIME', false),
    a('setting', 'DV_CODED_TEXT', false),
    a('end_time', 'DV_DATE_TIME', true),
    a('location', 'STRING', true),
    a('health_care_facility', 'PARTY_IDENTIFIED', true),
    a('participations', 'PARTICIPATION', true, true),
  ],
  OBSERVATION: [...ENTRY_LEAD, ENCODING, GUIDELINE, ...ENTRY_INTERNAL, ...LOCATABLE_ATTRS],
  EVALUATION: [...ENTRY_LEAD, ENCODING, GUIDELINE, ...ENTRY_INTERNAL, ...LOCATABLE_ATTRS],
  ADMIN_ENTRY: [...ENTRY_LEAD, ENCODING, ...ENTRY_INTERNAL, ...LOCATABLE_ATTRS],
  GENERIC_ENTRY: [...LOCATABLE_ATTRS],
  INSTRUCTION: [
    a('subject', 'PARTY_PROXY', false),
    a('narrative', 'DV_TEXT', false),
    a('language', 'CODE_PHRASE', false),
    ENCODING,
    a('expiry_time', 'DV_DATE_TIME', true),
    a('wf_definition', 'DV_PARSABLE', true),
    GUIDELINE,
    ...ENTRY_INTERNAL,
    ...LOCATABLE_ATTRS,
  ],
  ACTIVITY: [a('timing', 'DV_PARSABLE', true), a('action_archetype_id', 'STRING', false), ...LOCATABLE_ATTRS],
  ACTION: [
    ...ENTRY_LEAD,
    ENCODING,
    a('instruction_details', 'INSTRUCTION_DETAILS', true),
    TIME,
    a('ism_transition', 'ISM_TRANSITION', false),
    GUIDELINE,
    ...ENTRY_INTERNAL,
    ...LOCATABLE_ATTRS,
  ],
  INSTRUCTION_DETAILS: [a('activity_id', 'STRING', false), a('instruction_id', 'LOCATABLE_REF', false)],
  ISM_TRANSITION: [
    a('current_state', 'DV_CODED_TEXT', false),
    a('transition', 'DV_CODED_TEXT', true),
    a('careflow_step', 'DV_CODED_TEXT', true),
    a('reason', 'DV_TEXT', true, true),
  ],
  EVENT: [TIME, ...LOCATABLE_ATTRS],
  POINT_EVENT: [TIME, ...LOCATABLE_ATTRS],
  INTERVAL_EVENT: [
    a('math_function', 'DV_CODED_TEXT', false),
    a('width', 'DV_DURATION', false),
    TIME,
    a('sample_count', 'INTEGER', true),
    ...LOCATABLE_ATTRS,
  ],
  HISTORY: [
    a('origin', 'DV_DATE_TIME', false),
    a('period', 'DV_DURATION', true),
    a('duration', 'DV_DURATION', true),
    ...LOCATABLE_ATTRS,
  ],
  ELEMENT: [
    a('name', 'DV_TEXT', false),
    a('feeder_audit', 'FEEDER_AUDIT', true),
    a('null_flavour', 'DV_CODED_TEXT', true),
  ],
};
for (const t of [
  'SECTION',
  'CLUSTER',
  'ITEM_TREE',
  'ITEM_LIST',
  'ITEM_SINGLE',
  'ITEM_TABLE',
  'FOLDER',
  'PERSON',
  'ORGANISATION',
  'GROUP',
  'AGENT',
  'ROLE',
  'ADDRESS',
  'CONTACT',
  'PARTY_IDENTITY',
  'PARTY_RELATIONSHIP',
  'CAPABILITY',
  'EHR_STATUS',
  'EHR_ACCESS',
]) {
  ADDED_ATTRIBUTES[t] = LOCATABLE_ATTRS;
}

/** Attributes added as nodes for a node of this type (PATHABLE types only; none for others). */
export function addedAttributes(rmType: string): readonly RmAttribute[] {
  return ADDED_ATTRIBUTES[rmType] ?? [];
}

// Attributes (by name) that hold LOCATABLEs, or data-value internals, per type: with the added ones above
// they make the attribute sets the filter consults ("is this node an RM attribute of its parent?").
const OTHER_ATTRIBUTE_NAMES: Record<string, string[]> = {
  COMPOSITION: ['content'],
  EVENT_CONTEXT: ['other_context'],
  SECTION: ['items'],
  OBSERVATION: ['data', 'state', 'protocol'],
  EVALUATION: ['data', 'protocol'],
  INSTRUCTION: ['activities', 'protocol'],
  ACTION: ['description', 'protocol'],
  ADMIN_ENTRY: ['data'],
  GENERIC_ENTRY: ['data'],
  ACTIVITY: ['description'],
  INSTRUCTION_DETAILS: ['wf_details'],
  HISTORY: ['events', 'summary'],
  EVENT: ['data', 'state', 'offset'],
  POINT_EVENT: ['data', 'state', 'offset'],
  INTERVAL_EVENT: ['data', 'state', 'offset'],
  ITEM_TREE: ['items'],
  ITEM_LIST: ['items'],
  ITEM_SINGLE: ['item'],
  ITEM_TABLE: ['rows'],
  CLUSTER: ['items'],
  ELEMENT: ['value', 'uid', 'archetype_node_id', 'archetype_details', 'links'],
  DV_TEXT: ['value', 'mappings', 'formatting', 'hyperlink', 'language', 'encoding'],
  DV_CODED_TEXT: ['value', 'defining_code', 'mappings', 'formatting', 'hyperlink', 'language', 'encoding'],
  DV_QUANTITY: [
    'magnitude',
    'units',
    'precision',
    'normal_range',
    'other_reference_ranges',
    'normal_status',
    'accuracy',
    'accuracy_is_percent',
    'magnitude_status',
    'units_system',
    'units_display_name',
    'property',
  ],
  DV_COUNT: [
    'magnitude',
    'normal_range',
    'other_reference_ranges',
    'normal_status',
    'accuracy',
    'accuracy_is_percent',
    'magnitude_status',
  ],
  DV_PROPORTION: [
    'numerator',
    'denominator',
    'type',
    'precision',
    'normal_range',
    'other_reference_ranges',
    'normal_status',
    'accuracy',
    'accuracy_is_percent',
    'magnitude_status',
  ],
  DV_ORDINAL: ['value', 'symbol', 'normal_range', 'other_reference_ranges', 'normal_status'],
  DV_DATE_TIME: [
    'value',
    'accuracy',
    'magnitude_status',
    'normal_range',
    'other_reference_ranges',
    'normal_status',
  ],
  DV_DATE: [
    'value',
    'accuracy',
    'magnitude_status',
    'normal_range',
    'other_reference_ranges',
    'normal_status',
  ],
  DV_TIME: [
    'value',
    'accuracy',
    'magnitude_status',
    'normal_range',
    'other_reference_ranges',
    'normal_status',
  ],
  DV_DURATION: [
    'value',
    'accuracy',
    'magnitude_status',
    'normal_range',
    'other_reference_ranges',
    'normal_status',
    'accuracy_is_percent',
  ],
  DV_INTERVAL: ['lower', 'upper', 'lower_included', 'upper_included', 'lower_unbounded', 'upper_unbounded'],
  DV_MULTIMEDIA: [
    'alternate_text',
    'uri',
    'data',
    'media_type',
    'compression_algorithm',
    'integrity_check',
    'integrity_check_algorithm',
    'thumbnail',
    'size',
    'charset',
    'language',
  ],
  DV_PARSABLE: ['value', 'formalism', 'charset', 'language'],
  DV_IDENTIFIER: ['issuer', 'assigner', 'id', 'type'],
  DV_BOOLEAN: ['value'],
  DV_URI: ['value'],
  DV_EHR_URI: ['value'],
  DV_STATE: ['value', 'is_terminal'],
};

const attributeNameCache = new Map<string, ReadonlySet<string>>();

/** Generic types are looked up by their base name (`DV_INTERVAL<DV_QUANTITY>` → DV_INTERVAL). */
function baseType(rmType: string): string {
  const lt = rmType.indexOf('<');
  return lt < 0 ? rmType : rmType.slice(0, lt);
}

/** Whether the RM type has an attribute of this name. */
export function hasAttribute(rmType: string, name: string): boolean {
  const type = baseType(rmType);
  let names = attributeNameCache.get(type);
  if (!names) {
    names = new Set([...addedAttributes(type).map((x) => x.name), ...(OTHER_ATTRIBUTE_NAMES[type] ?? [])]);
    attributeNameCache.set(type, names);
  }
  return names.has(name);
}

// Child ids flagged `inContext` per parent class (openEHR_SDK OPTParser.addInContext); lists of the
// superclasses add up. `healthCareFacility` is spelled that way in the SDK and so never matches an id.
const LOCATABLE_CONTEXT = ['language'];
const ENTRY_CONTEXT = ['language', 'provider', 'other_participations', 'subject', 'encoding'];
const IN_CONTEXT: Record<string, string[]> = {
  COMPOSITION: ['language', 'territory', 'composer', 'category'],
  EVENT_CONTEXT: ['start_time', 'end_time', 'location', 'setting', 'healthCareFacility', 'participations'],
  OBSERVATION: ENTRY_CONTEXT,
  EVALUATION: ENTRY_CONTEXT,
  ADMIN_ENTRY: ENTRY_CONTEXT,
  GENERIC_ENTRY: LOCATABLE_CONTEXT,
  INSTRUCTION: [...ENTRY_CONTEXT, 'narrative'],
  ACTION: [...ENTRY_CONTEXT, 'time'],
  ACTIVITY: [...LOCATABLE_CONTEXT, 'timing', 'action_archetype_id'],
  ISM_TRANSITION: ['current_state', 'careflow_step', 'transition'],
  HISTORY: [...LOCATABLE_CONTEXT, 'origin'],
  EVENT: [...LOCATABLE_CONTEXT, 'time'],
  POINT_EVENT: [...LOCATABLE_CONTEXT, 'time'],
  INTERVAL_EVENT: [...LOCATABLE_CONTEXT, 'time'],
};

export function isInContext(parentRmType: string, childId: string): boolean {
  const list =
    IN_CONTEXT[parentRmType] ?? (LOCATABLE_TYPES.has(parentRmType) ? LOCATABLE_CONTEXT : undefined);
  return list?.includes(childId) ?? false;
}

/** Types whose nodes get RM-attribute children (Archie: PATHABLE or DV_INTERVAL). */
export function getsRmAttributes(rmType: string): boolean {
  return ADDED_ATTRIBUTES[rmType] !== undefined;
}
