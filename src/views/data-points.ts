import { type AttributeColumn, isDataValueType, RM_TYPE_COLUMNS } from './rm-types.js';
import type { PathSegment, WebTemplate, WebTemplateNode } from './types.js';
import { isMultiValued, nodeLabel } from './web-template.js';

/** A leaf of the web template that carries values, with the columns its RM type contributes. */
export interface DataPoint {
  /** Segments from the root (inclusive) to this node (inclusive). */
  segments: PathSegment[];
  rmType: string;
  label: string;
  attributes: AttributeColumn[];
}

/** A repeating node (or the root) and the data points whose nearest repeating ancestor-or-self it is. */
export interface OccurrenceGroup {
  /** Segments from the root to the node; `[root]` for the main group. */
  segments: PathSegment[];
  label: string;
  points: DataPoint[];
}

/**
 * Walks a web template: every data value (rm-types.ts) becomes a data point, every multi-valued node
 * (max -1 or > 1) opens a group of its own (one view row per occurrence). Skipped on purpose: the
 * `language`/`encoding`/`subject` every ENTRY carries (noise in every row; the composition's own language,
 * territory and composer are kept) and nodes without a known type, children or inputs (LOCATABLE_REF).
 */
export function collectDataPoints(template: WebTemplate): OccurrenceGroup[] {
  const language = template.defaultLanguage;
  const root = template.tree;
  const main: OccurrenceGroup = {
    segments: [{ id: root.id, repeating: false }],
    label: nodeLabel(root, language),
    points: [],
  };
  const groups: OccurrenceGroup[] = [main];

  const visit = (
    node: WebTemplateNode,
    parent: WebTemplateNode,
    parentSegments: PathSegment[],
    group: OccurrenceGroup,
  ) => {
    if (isEntryContextNode(node, parent, root)) return;
    const segments = [...parentSegments, { id: node.id, repeating: isMultiValued(node) }];
    let owner = group;
    if (isMultiValued(node)) {
      owner = { segments, label: nodeLabel(node, language), points: [] };
      groups.push(owner);
    }
    const attributes = attributesOf(node);
    if (attributes) {
      if (attributes.length > 0) {
        owner.points.push({ segments, rmType: node.rmType, label: nodeLabel(node, language), attributes });
      }
      return;
    }
    for (const child of node.children ?? []) visit(child, node, segments, owner);
    for (const implicit of implicitChildren(node)) visit(implicit, node, segments, owner);
  };

  for (const child of root.children ?? []) visit(child, root, main.segments, main);
  // A repeating node without data of its own (a SECTION around repeating entries) gets no view: its index
  // is already a column of every view below it.
  return groups.filter((g) => g === main || g.points.length > 0);
}

/** Columns of a data value; undefined for a structural node (its children carry the data). */
function attributesOf(node: WebTemplateNode): AttributeColumn[] | undefined {
  const inputSuffixes = new Set((node.inputs ?? []).map((i) => i.suffix ?? ''));
  if (isDataValueType(node.rmType)) {
    return (RM_TYPE_COLUMNS[node.rmType] ?? []).filter((a) => !a.onlyIfInput || inputSuffixes.has(a.suffix));
  }
  if ((node.children?.length ?? 0) > 0) return undefined;
  // An RM type Atlas has no mapping for: its declared inputs, as text (what FLAT holds them as).
  return [...inputSuffixes].map((suffix) => ({ suffix, namePart: suffix, sqlType: 'text' as const }));
}

/**
 * An EVENT node may be an INTERVAL_EVENT at run time: EHRbase then writes `…/width` and `…/math_function`
 * although the web template (which lists them only under INTERVAL_EVENT) does not. Added so they are columns.
 */
function implicitChildren(node: WebTemplateNode): WebTemplateNode[] {
  if (node.rmType !== 'EVENT') return [];
  const has = new Set((node.children ?? []).map((c) => c.id));
  const implicit: WebTemplateNode[] = [
    { id: 'width', name: 'Width', rmType: 'DV_DURATION', min: 0, max: 1, inContext: true },
    { id: 'math_function', name: 'Math function', rmType: 'DV_CODED_TEXT', min: 0, max: 1, inContext: true },
  ];
  return implicit.filter((c) => !has.has(c.id));
}

function isEntryContextNode(node: WebTemplateNode, parent: WebTemplateNode, root: WebTemplateNode): boolean {
  if (parent === root || !node.inContext) return false;
  return node.rmType === 'CODE_PHRASE' || node.rmType === 'PARTY_PROXY';
}

/** FLAT path pattern: ids joined by `/`, multi-valued segments written `id:*`. */
export function pathPattern(segments: PathSegment[]): string {
  return segments.map((s) => (s.repeating ? `${s.id}:*` : s.id)).join('/');
}
