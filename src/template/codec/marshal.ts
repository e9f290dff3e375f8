import type { PathStep } from './aql-path.js';
import { CanonicalCodecError } from './errors.js';
import { markReals } from './flat-text.js';
import { leafToFlat } from './leaf.js';
import { type FlatOut, type Obj, obj } from './out.js';
import { accepts, type Plan, planOf } from './plan.js';
import { rmAttributesToFlat } from './rm-attributes-out.js';
import type { FlatComposition, RmObject, WebTemplate } from './types.js';

/** RM objects reached from `root` along `steps` (lists are iterated; node id and name predicates filter). */
export function collect(root: Obj, steps: readonly PathStep[]): Obj[] {
  let current: Obj[] = [root];
  for (const step of steps) {
    const next: Obj[] = [];
    for (const o of current) {
      const v = o[step.attr];
      if (v === undefined || v === null) continue;
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) {
        if (typeof item === 'string') {
          next.push(item as unknown as Obj); // STRING attributes (action_archetype_id)
          continue;
        }
        const it = obj(item);
        if (!it) continue;
        if (step.nodeId && it.archetype_node_id !== undefined && it.archetype_node_id !== step.nodeId)
          continue;
        if (step.name !== undefined && obj(it.name)?.value !== step.name) continue;
        next.push(it);
      }
    }
    current = next;
  }
  return current;
}

function matchesOf(plan: Plan, rm: Obj): Obj[] {
  if (plan.elementSteps) {
    return collect(rm, plan.elementSteps).filter((el) => {
      const value = obj(el.value);
      return value ? accepts(plan, value._type) : el.null_flavour !== undefined;
    });
  }
  const found = collect(rm, plan.steps);
  return found.filter((m) => typeof m === 'string' || accepts(plan, m._type));
}

function walk(plan: Plan, rm: Obj, key: string, out: FlatOut): void {
  for (const child of plan.children) {
    if (child.skip) continue;
    const matches = matchesOf(child, rm);
    const n = child.multi ? matches.length : Math.min(1, matches.length);
    for (let k = 0; k < n; k++) {
      const m = matches[k]!;
      const childKey = child.multi ? `${key}/${child.id}:${k}` : `${key}/${child.id}`;
      if (child.leaf) {
        if (child.elementSteps) {
          if (m.value !== undefined) leafToFlat(out, childKey, m.value, child.node);
          rmAttributesToFlat(child, m, childKey, out, 'ELEMENT');
        } else if (
          child.id === 'encoding' &&
          child.baseType === 'CODE_PHRASE' &&
          plan.node.rmType !== 'COMPOSITION'
        ) {
          // EHRbase prints an entry's encoding as UTF-8 whatever the RM says (§3.3).
          out.put(`${childKey}|code`, 'UTF-8');
          out.put(`${childKey}|terminology`, 'IANA_character-sets');
        } else {
          leafToFlat(out, childKey, m, child.node);
          if (typeof m !== 'string')
            rmAttributesToFlat(child, m, childKey, out, String(m._type ?? child.baseType));
        }
        continue;
      }
      walk(child, m, childKey, out);
      rmAttributesToFlat(child, m, childKey, out, String(m._type ?? child.baseType));
    }
  }
}

/** A FLAT collector remembering which keys hold reals. */
export function collector(): { flat: FlatComposition; out: FlatOut; reals: Set<string> } {
  const flat: FlatComposition = {};
  const reals = new Set<string>();
  return {
    flat,
    reals,
    out: {
      put: (k, v) => {
        flat[k] = v;
      },
      real: (k, v) => {
        flat[k] = v;
        reals.add(k);
      },
    },
  };
}

/**
 * Canonical JSON → FLAT as EHRbase's marshaller writes it (flat-codec-rules.md §1.1, §2.2, §3, §5.2), driven by
 * the served web template. RM content no template node matches is dropped, as EHRbase does on GET.
 * `formatFlat` prints the result with reals as `22.0`.
 */
export function canonicalToFlat(wt: WebTemplate, composition: RmObject): FlatComposition {
  if (obj(composition)?._type !== undefined && composition._type !== 'COMPOSITION')
    throw new CanonicalCodecError(`not a COMPOSITION: _type is ${JSON.stringify(composition._type)}`);
  const plan = planOf(wt);
  const tid = obj(obj(composition.archetype_details)?.template_id)?.value;
  if (typeof tid === 'string' && tid !== wt.templateId)
    throw new CanonicalCodecError(`the composition is of template "${tid}", not "${wt.templateId}"`);
  const { flat, out, reals } = collector();
  const root = plan.id;
  const uid = obj(composition.uid)?.value;
  if (typeof uid === 'string') out.put(`${root}/_uid`, uid);
  walk(plan, composition, root, out);
  rmAttributesToFlat(plan, composition, root, out, 'COMPOSITION', { skipUid: true });
  if (obj(composition.composer)?._type === 'PARTY_SELF') out.put('ctx/composer_self', true);
  markReals(flat, reals);
  return flat;
}
