/**
 * The parts of a web template (EHRbase's `application/openehr.wt+json`, version 2.3) that the FLAT codec
 * reads. Structural: any web template served by EHRbase, or generated from an OPT, fits.
 */
export interface WebTemplateInputItem {
  value: string;
  label?: string;
  ordinal?: number;
  localizedLabels?: Record<string, string>;
}

export interface WebTemplateInput {
  suffix?: string;
  type?: string;
  list?: WebTemplateInputItem[];
  listOpen?: boolean;
  terminology?: string;
  defaultValue?: unknown;
}

export interface WebTemplateNode {
  id: string;
  name?: string;
  localizedName?: string;
  rmType: string;
  nodeId?: string;
  min?: number;
  max?: number;
  aqlPath?: string;
  inputs?: WebTemplateInput[];
  inContext?: boolean;
  children?: WebTemplateNode[];
}

export interface WebTemplate {
  templateId: string;
  defaultLanguage?: string;
  languages?: string[];
  version?: string;
  tree: WebTemplateNode;
}

/** A FLAT (simSDT) composition: `path → primitive value`. */
export type FlatComposition = Record<string, unknown>;

/** A canonical RM JSON object (`_type` + attributes). */
export type RmObject = Record<string, unknown>;
