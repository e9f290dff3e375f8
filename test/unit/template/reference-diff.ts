import type { WebTemplate, WebTemplateInput, WebTemplateNode } from '../../../src/template/index.js';

/**
 * Compares a generated web template with a reference file node by node, the way openEHR_SDK's
 * OPTParserTest does: nodes are matched by (aqlPath, id), the reference's short name predicates
 * (`[at0001,'X']`) read as the long form; per node rmType, min, max, inContext, proportionTypes (as a set)
 * and inputs (keyed suffix:type, list values keyed by value). Returns every difference, each naming the node.
 */
export interface Difference {
  /** `aqlPath|id` of the node. */
  node: string;
  id: string;
  /** What differs, e.g. `min`, `inputs[code:CODED_TEXT].terminology`, `inputs[code:CODED_TEXT].list[433].localizedLabels`. */
  field: string;
  ours: unknown;
  reference: unknown;
}

export function longPath(path: string | undefined): string {
  return (path ?? '').replace(/\[([^\],']+),\s*'([^']*)'\]/g, "[$1 and name/value='$2']");
}

function index(wt: WebTemplate): Map<string, WebTemplateNode> {
  const out = new Map<string, WebTemplateNode>();
  const walk = (n: WebTemplateNode) => {
    out.set(`${longPath(n.aqlPath)}|${n.id}`, n);
    for (const c of n.children ?? []) walk(c);
  };
  walk(wt.tree);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

const VALUE_FIELDS = [
  'label',
  'localizedLabels',
  'localizedDescriptions',
  'validation',
  'ordinal',
  'currentStates',
];
const INPUT_FIELDS = ['listOpen', 'validation', 'terminology', 'defaultValue'];

function inputDiffs(
  ours: WebTemplateInput[],
  ref: WebTemplateInput[],
  push: (f: string, o: unknown, r: unknown) => void,
) {
  const key = (i: WebTemplateInput) => `${i.suffix ?? ''}:${i.type}`;
  const a = new Map(ours.map((i) => [key(i), i]));
  const b = new Map(ref.map((i) => [key(i), i]));
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (!x || !y) {
      push(`inputs[${k}]`, x, y);
      continue;
    }
    for (const f of INPUT_FIELDS) {
      const xv = (x as unknown as Record<string, unknown>)[f];
      const yv = (y as unknown as Record<string, unknown>)[f];
      if (!same(xv, yv)) push(`inputs[${k}].${f}`, xv, yv);
    }
    const la = new Map((x.list ?? []).map((v) => [v.value, v]));
    const lb = new Map((y.list ?? []).map((v) => [v.value, v]));
    for (const v of new Set([...la.keys(), ...lb.keys()])) {
      const p = la.get(v);
      const q = lb.get(v);
      if (!p || !q) {
        push(`inputs[${k}].list[${v}]`, p, q);
        continue;
      }
      for (const f of VALUE_FIELDS) {
        const pv = (p as unknown as Record<string, unknown>)[f];
        const qv = (q as unknown as Record<string, unknown>)[f];
        if (!same(pv, qv)) push(`inputs[${k}].list[${v}].${f}`, pv, qv);
      }
    }
  }
}

export function referenceDifferences(ours: WebTemplate, reference: WebTemplate): Difference[] {
  const a = index(ours);
  const b = index(reference);
  const out: Difference[] = [];
  for (const [k, n] of b)
    if (!a.has(k)) out.push({ node: k, id: n.id, field: 'node', ours: undefined, reference: 'present' });
  for (const [k, n] of a) {
    const r = b.get(k);
    if (!r) {
      out.push({ node: k, id: n.id, field: 'node', ours: 'present', reference: undefined });
      continue;
    }
    const push = (field: string, o: unknown, ref: unknown) =>
      out.push({ node: k, id: n.id, field, ours: o, reference: ref });
    for (const f of ['rmType', 'min', 'max', 'inContext'] as const)
      if (!same(n[f], r[f])) push(f, n[f], r[f]);
    if (!same([...(n.proportionTypes ?? [])].sort(), [...(r.proportionTypes ?? [])].sort())) {
      push('proportionTypes', n.proportionTypes, r.proportionTypes);
    }
    inputDiffs(n.inputs ?? [], r.inputs ?? [], push);
  }
  return out;
}
