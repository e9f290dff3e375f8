/**
 * The web template JSON as EHRbase serves it for `Accept: application/openehr.wt+json` (openEHR_SDK model
 * `WebTemplate*`, version "2.3"). Optional keys are absent when EHRbase leaves them out (null or empty).
 * src/views/types.ts has a narrower `WebTemplate` (the parts views read); this one is a structural
 * superset of it, so a generated template can be handed to the views as is.
 */

export type ComparisonOp = '>=' | '>' | '<=' | '<';

export interface WebTemplateInterval<T = number | string> {
  min?: T;
  minOp?: ComparisonOp;
  max?: T;
  maxOp?: ComparisonOp;
}

export interface WebTemplateValidation {
  precision?: WebTemplateInterval<number>;
  range?: WebTemplateInterval;
  pattern?: string;
}

export interface WebTemplateInputValue {
  value: string;
  label?: string;
  localizedLabels?: Record<string, string>;
  localizedDescriptions?: Record<string, string>;
  ordinal?: number;
  currentStates?: string[];
  validation?: WebTemplateValidation;
}

export interface WebTemplateInput {
  suffix?: string;
  type: string;
  list?: WebTemplateInputValue[];
  listOpen?: boolean;
  validation?: WebTemplateValidation;
  terminology?: string;
  /** A number when the text parses as one (EHRbase's StringToNumberSerializer), else a string. */
  defaultValue?: string | number;
}

export interface WebTemplateAnnotations {
  comment?: string;
  [key: string]: string | undefined;
}

export interface WebTemplateCardinality {
  min?: number;
  max?: number;
  ids: string[];
}

export interface WebTemplateNode {
  id: string;
  name: string;
  localizedName?: string;
  rmType: string;
  nodeId?: string;
  min: number;
  max: number;
  localizedNames?: Record<string, string>;
  localizedDescriptions?: Record<string, string>;
  aqlPath?: string;
  children?: WebTemplateNode[];
  inputs?: WebTemplateInput[];
  inContext?: boolean;
  /** Never produced by EHRbase's generator (the field exists in its model); kept for reading other files. */
  termBindings?: Record<string, unknown>;
  /** Never produced by EHRbase's generator; kept for reading other files. */
  dependsOn?: string[];
  annotations?: WebTemplateAnnotations;
  proportionTypes?: string[];
  cardinalities?: WebTemplateCardinality[];
}

export interface WebTemplate {
  templateId: string;
  version: string;
  defaultLanguage: string;
  languages: string[];
  tree: WebTemplateNode;
}
