import { choicesInChildren, trueElementChildren } from './build-tree.js';
import { newInput, type WtNode } from './node.js';
import { makeIdsUnique } from './node-id.js';
import { hasAttribute, isEvent } from './rm-model.js';

/**
 * The filter pass (openEHR_SDK Filter.filter): removes structural and optional RM-attribute nodes and
 * hoists their children into the parent, bottom-up. Works in place on the parse tree.
 */
export function filterTree(root: WtNode, languages: readonly string[]): WtNode {
  const [top] = filterNode(root, undefined, languages);
  return top as WtNode;
}

const ALWAYS_SKIPPED = new Set([
  'name',
  'archetype_node_id',
  'origin',
  'media_type',
  'upper_included',
  'lower_included',
  'upper_unbounded',
  'lower_unbounded',
]);

const STRUCTURES = new Set([
  'HISTORY',
  'ITEM_TREE',
  'ITEM_LIST',
  'ITEM_SINGLE',
  'ITEM_TABLE',
  'ITEM_STRUCTURE',
]);

function filterNode(node: WtNode, parent: WtNode | undefined, languages: readonly string[]): WtNode[] {
  preHandle(node, languages);
  const filtered: WtNode[] = [];
  for (const c of node.children) filtered.push(...filterNode(c, node, languages));
  // skip() sees the filtered children of the node but the parse-time children of its parent.
  node.children = filtered;
  const skipped = skip(node, parent);
  let out: WtNode[];
  if (skipped) {
    if (node.rmType === 'ELEMENT') {
      for (const c of filtered) {
        c.min = node.min;
        c.max = node.max;
      }
    }
    out = filtered;
  } else {
    out = [node];
  }
  makeIdsUnique(node);
  return out;
}

function preHandle(node: WtNode, languages: readonly string[]): void {
  switch (node.rmType) {
    case 'ACTION': {
      // Only the first ISM_TRANSITION child (the synthetic one) stays, moved to the end.
      const transitions = node.children.filter((c) => c.rmType === 'ISM_TRANSITION');
      const first = transitions[0];
      if (first) {
        node.children = node.children.filter((c) => c.rmType !== 'ISM_TRANSITION');
        node.children.push(first);
      }
      break;
    }
    case 'ELEMENT': {
      if (isCodedTextOrTextChoice(node)) {
        node.children = [mergeCodedTextAndText(node)];
      } else {
        const values = trueElementChildren(node);
        // The ELEMENT will be skipped and its value takes its id (with the sibling number baked in).
        if (values.length === 1) {
          const v = values[0] as WtNode;
          v.id = node.idNumber === undefined ? node.id : `${node.id}${node.idNumber}`;
        }
      }
      break;
    }
    case 'DV_ORDINAL':
      for (const i of node.inputs) if (i.type === 'CODED_TEXT') i.terminology = undefined;
      break;
    case 'DV_CODED_TEXT':
      // English openEHR rubrics are only a fallback: dropped when the template has no English.
      if (!languages.includes('en')) {
        for (const i of node.inputs) {
          if (i.type === 'CODED_TEXT' && i.terminology === 'openehr')
            for (const v of i.list) v.localizedLabels.delete('en');
        }
      }
      break;
    default:
      break;
  }
}

function fullIdOf(n: WtNode): string {
  return n.idNumber === undefined ? n.id : `${n.id}${n.idNumber}`;
}

function isCodedTextOrTextChoice(node: WtNode): boolean {
  const ids = trueElementChildren(node).map(fullIdOf);
  return (
    ids.length === 2 &&
    ids.includes('coded_text_value') &&
    ids.includes('text_value') &&
    choicesInChildren(node).length > 0
  );
}

/** A DV_CODED_TEXT/DV_TEXT choice becomes one open-list coded text with an `other` input (no nodeId). */
function mergeCodedTextAndText(element: WtNode): WtNode {
  const coded = element.children.find((c) => fullIdOf(c) === 'coded_text_value') as WtNode;
  const merged: WtNode = {
    id: fullIdOf(element),
    name: element.name,
    rmType: 'DV_CODED_TEXT',
    min: element.min,
    max: element.max,
    localizedNames: new Map(element.localizedNames),
    localizedDescriptions: new Map(element.localizedDescriptions),
    path: coded.path,
    children: [],
    inputs: [...coded.inputs, newInput('other', 'TEXT')],
    annotations: element.annotations,
    proportionTypes: [],
    cardinalities: [],
    archetypeSlot: false,
  };
  if (element.localizedName !== undefined) merged.localizedName = element.localizedName;
  const code = merged.inputs.find((i) => i.suffix === 'code');
  if (code) code.listOpen = true;
  return merged;
}

function isNonMandatoryRmAttribute(node: WtNode, parent: WtNode): boolean {
  const optionalAttribute = hasAttribute(parent.rmType, node.name) && node.min === 0;
  const internal = ALWAYS_SKIPPED.has(node.name);
  const keptAnyway =
    (parent.rmType === 'ACTIVITY' && node.name === 'timing') ||
    (parent.rmType === 'INSTRUCTION' && node.name === 'expiry_time') ||
    (parent.rmType === 'ISM_TRANSITION' && node.name === 'transition') ||
    (parent.rmType === 'COMPOSITION' && node.name === 'context');
  return (optionalAttribute || internal) && !keptAnyway;
}

/** Whether the node is replaced by its children (openEHR_SDK Filter.skip); `parent` is the parse-time parent. */
function skip(node: WtNode, parent: WtNode | undefined): boolean {
  if (node.archetypeSlot) return true;
  if (parent && isNonMandatoryRmAttribute(node, parent)) return true;
  if (STRUCTURES.has(node.rmType)) return true;
  if (parent && isEvent(node.rmType)) {
    return parent.children.filter((c) => isEvent(c.rmType)).length === 1 && node.max === 1;
  }
  if (node.rmType === 'ELEMENT') return node.children.length === 1;
  if (node.rmType === 'CODE_PHRASE' && parent) return parent.rmType === 'DV_CODED_TEXT';
  return false;
}
