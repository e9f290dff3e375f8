/**
 * An ADL 1.4 operational template (OPT) as typed data: the subset of the openEHR AOM 1.4 / OPT XML schema
 * that generating a web template reads. Produced by parseOpt (parse-opt.ts); no XML left in it.
 */

/** `Interval<T>` of the AOM: a bound is absent when unbounded. */
export interface Interval<T> {
  lower?: T;
  upper?: T;
  lowerIncluded: boolean;
  upperIncluded: boolean;
  lowerUnbounded: boolean;
  upperUnbounded: boolean;
}

export interface ArchetypeTerm {
  code: string;
  /** `items` by id: `text`, `description`, and extras such as `comment`. Insertion order = document order. */
  items: Map<string, string>;
}

interface CObjectBase {
  rmTypeName: string;
  /** `node_id`, possibly empty. */
  nodeId: string;
  occurrences: Interval<number>;
  /** Line of the constraint's element in the OPT (for messages). */
  line: number;
}

export interface CAttribute {
  kind: 'single' | 'multiple';
  rmAttributeName: string;
  existence: Interval<number>;
  children: CObject[];
  /** C_MULTIPLE_ATTRIBUTE only. */
  cardinality?: { interval?: Interval<number> };
}

export interface CComplexObject extends CObjectBase {
  kind: 'C_COMPLEX_OBJECT';
  attributes: CAttribute[];
}

export interface CArchetypeRoot extends CObjectBase {
  kind: 'C_ARCHETYPE_ROOT';
  attributes: CAttribute[];
  archetypeId: string;
  /** Term definitions in the template's default language (the root's own `term_definitions`). */
  termDefinitions: ArchetypeTerm[];
}

export interface ArchetypeSlot extends CObjectBase {
  kind: 'ARCHETYPE_SLOT';
}

/** C_STRING, C_INTEGER, C_REAL, C_BOOLEAN, C_DATE, C_DATE_TIME, C_TIME, C_DURATION. */
export interface CPrimitive {
  type: string;
  pattern?: string;
  /** C_STRING list / C_INTEGER list (as written). */
  list: string[];
  /** C_STRING `list_open`; undefined when the element is absent. */
  listOpen?: boolean;
  /** C_INTEGER / C_REAL (numbers) and C_DURATION (ISO strings) ranges. */
  range?: Interval<number> | Interval<string>;
  assumedValue?: string;
  trueValid?: boolean;
  falseValid?: boolean;
}

export interface CPrimitiveObject extends CObjectBase {
  kind: 'C_PRIMITIVE_OBJECT';
  item: CPrimitive;
}

export interface QuantityItem {
  units: string;
  magnitude?: Interval<number>;
  precision?: Interval<number>;
}

export interface CDvQuantity extends CObjectBase {
  kind: 'C_DV_QUANTITY';
  list: QuantityItem[];
  assumedValue?: { magnitude?: number; units?: string };
}

export interface CDvOrdinal extends CObjectBase {
  kind: 'C_DV_ORDINAL';
  list: { value: number; code: string; terminology?: string }[];
  assumedValue?: { code?: string; terminology?: string };
}

export interface CCodePhrase extends CObjectBase {
  kind: 'C_CODE_PHRASE';
  terminologyId?: string;
  codeList: string[];
  assumedValue?: string;
  /** C_CODE_REFERENCE: `referenceSetUri`. */
  referenceSetUri?: string;
}

/** Any other constraint class (e.g. C_DV_STATE): ignored by the web template, like EHRbase does. */
export interface COtherObject extends CObjectBase {
  kind: 'OTHER';
  className: string;
}

export type CObject =
  | CComplexObject
  | CArchetypeRoot
  | ArchetypeSlot
  | CPrimitiveObject
  | CDvQuantity
  | CDvOrdinal
  | CCodePhrase
  | COtherObject;

/** Translations of one archetype's terms (`ontology` / `component_ontologies`). */
export interface ComponentOntology {
  archetypeId: string;
  termDefinitions: { language: string; terms: ArchetypeTerm[] }[];
}

/** One entry of the template's `constraints` section: a default value for an attribute. */
export interface DefaultValueConstraint {
  differentialPath: string;
  rmAttributeName: string;
  /** Per child element of `default_value` (in order): its name, and its text when it has no child elements. */
  fields: { name: string; text?: string; definingCode?: string }[];
}

export interface OperationalTemplate {
  templateId: string;
  defaultLanguage: string;
  /** `description/details/language/code_string`, in document order (duplicates kept). */
  detailLanguages: string[];
  definition: CArchetypeRoot;
  ontologies: ComponentOntology[];
  annotations: { path: string; items: Map<string, string> }[];
  defaults: DefaultValueConstraint[];
}
