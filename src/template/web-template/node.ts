import type { AqlPath } from './aql-path.js';
import type { ComparisonOp } from './types.js';

/**
 * The generator's working node (openEHR_SDK WebTemplateNode before serialisation): mutable, with the AQL
 * path as steps and the sibling number kept apart from the id until it is written.
 */
export interface InputValue {
  value: string;
  label?: string;
  localizedLabels: Map<string, string>;
  localizedDescriptions: Map<string, string>;
  ordinal?: number;
  currentStates: string[];
  validation?: Validation;
}

/** A validation interval; `real` marks Java doubles, which EHRbase writes with a decimal point (`0.0`). */
export interface Range {
  min?: number | string;
  minOp?: ComparisonOp;
  max?: number | string;
  maxOp?: ComparisonOp;
  real?: boolean;
}

export interface Validation {
  precision?: Range;
  range?: Range;
  pattern?: string;
}

export interface Input {
  suffix?: string;
  type: string;
  list: InputValue[];
  listOpen?: boolean;
  validation?: Validation;
  terminology?: string;
  defaultValue?: string;
}

export interface Cardinality {
  min?: number;
  max?: number;
  ids: string[];
}

export interface Annotations {
  comment?: string;
  other: Map<string, string>;
}

export interface WtNode {
  id: string;
  /** Sibling number (2, 3, …) appended to the id when written; undefined for the first or only one. */
  idNumber?: number;
  name: string;
  localizedName?: string;
  rmType: string;
  nodeId?: string;
  min: number;
  max: number;
  localizedNames: Map<string, string>;
  localizedDescriptions: Map<string, string>;
  path: AqlPath;
  children: WtNode[];
  inputs: Input[];
  inContext?: boolean;
  annotations?: Annotations;
  proportionTypes: string[];
  cardinalities: Cardinality[];
  archetypeSlot: boolean;
}

export function newNode(fields: Pick<WtNode, 'id' | 'name' | 'rmType' | 'min' | 'max' | 'path'>): WtNode {
  return {
    ...fields,
    localizedNames: new Map(),
    localizedDescriptions: new Map(),
    children: [],
    inputs: [],
    proportionTypes: [],
    cardinalities: [],
    archetypeSlot: false,
  };
}

/** The id as written: base id plus sibling number. */
export function fullId(node: WtNode): string {
  return node.idNumber === undefined ? node.id : `${node.id}${node.idNumber}`;
}

export function newInput(suffix: string | undefined, type: string): Input {
  const input: Input = { type, list: [] };
  if (suffix !== undefined) input.suffix = suffix;
  return input;
}

function cloneValidation(v: Validation | undefined): Validation | undefined {
  if (!v) return undefined;
  const out: Validation = {};
  if (v.precision) out.precision = { ...v.precision };
  if (v.range) out.range = { ...v.range };
  if (v.pattern !== undefined) out.pattern = v.pattern;
  return out;
}

export function cloneInput(i: Input): Input {
  return {
    ...i,
    list: i.list.map((v) => ({
      ...v,
      localizedLabels: new Map(v.localizedLabels),
      localizedDescriptions: new Map(v.localizedDescriptions),
      currentStates: [...v.currentStates],
      validation: cloneValidation(v.validation),
    })),
    validation: cloneValidation(i.validation),
  };
}

/** Deep copy (openEHR_SDK `new WebTemplateNode(other)`). */
export function cloneNode(n: WtNode): WtNode {
  return {
    ...n,
    localizedNames: new Map(n.localizedNames),
    localizedDescriptions: new Map(n.localizedDescriptions),
    children: n.children.map(cloneNode),
    inputs: n.inputs.map(cloneInput),
    annotations: n.annotations
      ? { comment: n.annotations.comment, other: new Map(n.annotations.other) }
      : undefined,
    proportionTypes: [...n.proportionTypes],
    cardinalities: n.cardinalities.map((c) => ({ ...c, ids: [...c.ids] })),
  };
}

/** Depth-first, children before the node itself (openEHR_SDK `streamMatching`). */
export function* matching(node: WtNode, test: (n: WtNode) => boolean): Generator<WtNode> {
  for (const c of node.children) yield* matching(c, test);
  if (test(node)) yield node;
}

export function findChild(node: WtNode, id: string): WtNode | undefined {
  return node.children.find((c) => fullId(c) === id);
}
