import type { TemplateData, WebTemplateNode } from '../data/dataset.js';
import { relativeSteps } from './aql-path.js';
import { dvToFlat } from './dv.js';
import { isLeafType, isMulti, leafAccepts } from './leaf.js';

type Obj = Record<string, unknown>;

function collect(root: Obj, steps: ReturnType<typeof relativeSteps>): Obj[] {
  let current: Obj[] = [root];
  for (const step of steps) {
    const next: Obj[] = [];
    for (const o of current) {
      const v = o[step.attr];
      const items = Array.isArray(v) ? v : v !== undefined && v !== null ? [v] : [];
      for (const item of items) {
        if (item === null || typeof item !== 'object') continue;
        const it = item as Obj;
        if (step.nodeId && it.archetype_node_id !== undefined && it.archetype_node_id !== step.nodeId)
          continue;
        if (step.name && (it.name as Obj | undefined)?.value !== step.name) continue;
        next.push(it);
      }
    }
    current = next;
  }
  return current;
}

/** RM attributes of an INTERVAL_EVENT that web templates leave out but EHRbase's FLAT carries. */
function intervalEventAttributes(event: Obj, key: string, out: Obj): void {
  const width = (event.width as Obj | undefined)?.value;
  if (width !== undefined) out[`${key}/width`] = width;
  const fn = event.math_function as Obj | undefined;
  if (!fn) return;
  for (const [suffix, v] of dvToFlat(fn, 'DV_CODED_TEXT'))
    if (v !== undefined) out[`${key}/math_function${suffix}`] = v;
}

function read(node: WebTemplateNode, obj: Obj, key: string, out: Obj): void {
  for (const child of node.children ?? []) {
    const leaf = isLeafType(child.rmType, (child.children ?? []).length > 0);
    const matches = collect(obj, relativeSteps(node.aqlPath, child.aqlPath)).filter(
      (m) => !leaf || leafAccepts(child.rmType, m._type),
    );
    const multi = isMulti(child);
    (multi ? matches : matches.slice(0, 1)).forEach((m, k) => {
      const childKey = `${key}/${child.id}${multi ? `:${k}` : ''}`;
      if (!leaf) {
        read(child, m, childKey, out);
        if (m._type === 'INTERVAL_EVENT') intervalEventAttributes(m, childKey, out);
        return;
      }
      for (const [suffix, value] of dvToFlat(m, child.rmType)) {
        if (value !== undefined && value !== null) out[`${childKey}${suffix}`] = value;
      }
    });
  }
}

/**
 * Canonical JSON → FLAT, walking the web template and the composition together (used for compositions
 * written through the API in canonical form). Covers the common data types; RM attributes outside the
 * template (`_link`, `_feeder_audit` …) are not rendered.
 */
export function canonicalToFlat(template: TemplateData, canonical: Obj): Obj {
  const tree = template.webTemplate?.tree;
  if (!tree)
    throw new Error(`Template ${template.templateId} has no web template; cannot derive the FLAT form`);
  const out: Obj = {};
  const uid = (canonical.uid as Obj | undefined)?.value;
  if (typeof uid === 'string') out[`${tree.id}/_uid`] = uid;
  read(tree, canonical, tree.id, out);
  const end = ((canonical.context as Obj | undefined)?.end_time as Obj | undefined)?.value;
  if (typeof end === 'string') out[`${tree.id}/context/_end_time`] = end;
  return out;
}
