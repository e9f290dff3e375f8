import type { PathNode, Predicate } from './ast.js';

/** Resolved predicate values (parameters substituted). */
export type ParamValue = string | number | boolean | Array<string | number | boolean>;

function text(o: Record<string, unknown>, key: string): unknown {
  const v = o[key];
  return v && typeof v === 'object' ? (v as Record<string, unknown>).value : undefined;
}

function literalValue(lit: Predicate['name'], params: Record<string, ParamValue>): unknown {
  if (!lit) return undefined;
  if (lit.kind === 'param') return params[lit.name];
  return lit.kind === 'null' ? null : lit.value;
}

/** Whether an RM object satisfies `[at0001]`, `[at0001, 'Name']`, `[name/value='x']`, `[archetype_node_id=…]`. */
export function matchesPredicate(obj: unknown, pred: Predicate, params: Record<string, ParamValue>): boolean {
  if (obj === null || typeof obj !== 'object') return false;
  const o = obj as Record<string, unknown>;
  if (pred.nodeId !== undefined) {
    const id = pred.nodeId.startsWith('$') ? params[pred.nodeId.slice(1)] : pred.nodeId;
    if (o.archetype_node_id !== id) return false;
  }
  if (pred.name !== undefined && text(o, 'name') !== literalValue(pred.name, params)) return false;
  for (const c of pred.conditions) {
    const actual =
      c.path === 'archetype_node_id' ? o.archetype_node_id : navigateAttributes(o, c.path.split('/'));
    const expected = literalValue(c.value, params);
    const equal = actual === expected;
    if (c.op === '=' ? !equal : c.op === '!=' ? equal : true) return false;
  }
  return true;
}

function navigateAttributes(obj: unknown, attrs: string[]): unknown {
  let cur = obj;
  for (const a of attrs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur)
      ? (cur[0] as Record<string, unknown> | undefined)?.[a]
      : (cur as Record<string, unknown>)[a];
  }
  return cur;
}

/**
 * Follow an AQL path through canonical RM JSON. Multi-valued attributes are filtered by the node's
 * predicate and the first match is taken (the simulator does not multiply rows for repeated nodes).
 */
export function navigate(
  root: unknown,
  nodes: readonly PathNode[],
  params: Record<string, ParamValue>,
): unknown {
  let cur: unknown = root;
  for (const node of nodes) {
    if (cur === null || typeof cur !== 'object') return undefined;
    let next = (cur as Record<string, unknown>)[node.attribute];
    if (Array.isArray(next)) {
      next = node.predicate ? next.find((x) => matchesPredicate(x, node.predicate!, params)) : next[0];
    } else if (node.predicate && !matchesPredicate(next, node.predicate, params)) {
      return undefined;
    }
    cur = next;
  }
  return cur;
}

const SUBTYPES: Record<string, string[]> = {
  ENTRY: ['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION', 'ADMIN_ENTRY', 'GENERIC_ENTRY'],
  CARE_ENTRY: ['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION'],
  EVENT: ['EVENT', 'POINT_EVENT', 'INTERVAL_EVENT'],
  ITEM_STRUCTURE: ['ITEM_TREE', 'ITEM_LIST', 'ITEM_SINGLE', 'ITEM_TABLE'],
  ITEM: ['CLUSTER', 'ELEMENT'],
};

export function typeMatches(classType: string, rmType: unknown): boolean {
  if (typeof rmType !== 'string') return false;
  return classType === rmType || (SUBTYPES[classType]?.includes(rmType) ?? false);
}

/** All descendants (not the root) of `root` of a class, satisfying its predicate, in document order. */
export function findContained(
  root: unknown,
  classType: string,
  pred: Predicate | undefined,
  params: Record<string, ParamValue>,
): unknown[] {
  const out: unknown[] = [];
  const walk = (node: unknown, isRoot: boolean) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, false);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (!isRoot && typeMatches(classType, o._type) && (!pred || matchesPredicate(o, pred, params)))
      out.push(o);
    for (const [k, v] of Object.entries(o)) if (k !== '_type' && v && typeof v === 'object') walk(v, false);
  };
  walk(root, true);
  return out;
}
