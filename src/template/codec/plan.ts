import { type PathStep, relativeSteps } from './aql-path.js';
import type { WebTemplate, WebTemplateNode } from './types.js';

/**
 * A web template compiled for the codec, once per template (cached by object identity): each node's path
 * relative to its parent, whether it is a data value (leaf) or a structure, and whether its value sits in an
 * ELEMENT that the web template does not show (the served template folds a single-type ELEMENT into its
 * value node, flat-codec-rules.md §2.2.1).
 */
export interface Plan {
  node: WebTemplateNode;
  id: string;
  /** `max != 1`: the FLAT segment always carries `:n`. */
  multi: boolean;
  steps: PathStep[];
  /** Leaves hold one data value (DV_*, CODE_PHRASE, PARTY_PROXY, STRING, DV_INTERVAL<…>). */
  leaf: boolean;
  /** For a leaf whose value is `…/items[atX]/value`: the steps to that ELEMENT (the last step is dropped). */
  elementSteps?: PathStep[];
  /** RM type without generic parameters. */
  baseType: string;
  /** Whether a sibling shares this node's path (choices): then the RM type must match exactly. */
  strictType: boolean;
  children: Plan[];
  /** Nodes under `instruction_details` (FLAT writes them as `_instruction_details|…`). */
  skip: boolean;
}

const cache = new WeakMap<WebTemplate, Plan>();

const DATA_PREFIXES = ['DV_', 'CODE_PHRASE', 'PARTY_', 'STRING', 'LOCATABLE_REF'];

export function isDataType(rmType: string): boolean {
  return DATA_PREFIXES.some((p) => rmType.startsWith(p));
}

export function baseType(rmType: string): string {
  const lt = rmType.indexOf('<');
  return lt < 0 ? rmType : rmType.slice(0, lt);
}

function compile(node: WebTemplateNode, parentPath: string, strictType: boolean): Plan {
  const steps = relativeSteps(parentPath, node.aqlPath ?? '');
  const leaf = isDataType(node.rmType);
  const last = steps[steps.length - 1];
  const prev = steps[steps.length - 2];
  const folded = leaf && last?.attr === 'value' && (prev?.attr === 'items' || prev?.attr === 'item');
  const kids = node.children ?? [];
  const byPath = new Map<string, number>();
  for (const c of kids) byPath.set(c.aqlPath ?? '', (byPath.get(c.aqlPath ?? '') ?? 0) + 1);
  return {
    node,
    id: node.id,
    multi: node.max === -1 || (node.max ?? 1) > 1,
    steps,
    leaf,
    ...(folded ? { elementSteps: steps.slice(0, -1) } : {}),
    baseType: baseType(node.rmType),
    strictType,
    children: leaf
      ? []
      : kids.map((c) => compile(c, node.aqlPath ?? '', (byPath.get(c.aqlPath ?? '') ?? 0) > 1)),
    skip: steps.some((s) => s.attr === 'instruction_details'),
  };
}

export function planOf(wt: WebTemplate): Plan {
  let plan = cache.get(wt);
  if (!plan) {
    plan = compile(wt.tree, '', false);
    cache.set(wt, plan);
  }
  return plan;
}

/** Whether an RM object of `actual` type can fill a node of `plan` (§1.4: text/coded text, party and event subtypes). */
export function accepts(plan: Plan, actual: unknown): boolean {
  if (typeof actual !== 'string') return true;
  const want = plan.node.rmType;
  if (actual === want) return true;
  if (plan.strictType) {
    return want === 'EVENT' && (actual === 'POINT_EVENT' || actual === 'INTERVAL_EVENT');
  }
  switch (plan.baseType) {
    case 'DV_TEXT':
    case 'DV_CODED_TEXT':
      return actual === 'DV_TEXT' || actual === 'DV_CODED_TEXT';
    case 'PARTY_PROXY':
      return actual.startsWith('PARTY_');
    case 'DV_INTERVAL':
      return actual.startsWith('DV_INTERVAL');
    case 'EVENT':
      return actual === 'POINT_EVENT' || actual === 'INTERVAL_EVENT';
    default:
      return actual === plan.baseType || !isDataType(want);
  }
}
