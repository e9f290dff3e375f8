import type { TemplateData, WebTemplateNode } from '../data/dataset.js';
import { LIST_ATTRS, type PathStep, relativeSteps } from './aql-path.js';
import { dvFromFlat, type FlatAttrs } from './dv.js';
import { baseType, isLeafType } from './leaf.js';

type Obj = Record<string, unknown>;

/** FLAT keys grouped as a tree of `id` → instances (`:n`), each with its own `|attr` values. */
interface FlatNode {
  attrs: FlatAttrs;
  children: Map<string, FlatNode[]>;
}

function newNode(): FlatNode {
  return { attrs: new Map(), children: new Map() };
}

function parseFlat(flat: Obj, root: string): FlatNode {
  const top = newNode();
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith(`${root}/`)) continue;
    const lastSlash = key.lastIndexOf('/');
    const bar = key.indexOf('|', lastSlash);
    const path = bar >= 0 ? key.slice(root.length + 1, bar) : key.slice(root.length + 1);
    const attr = bar >= 0 ? key.slice(bar) : '';
    let node = top;
    for (const seg of path.split('/')) {
      const m = /^(.*?)(?::(\d+))?$/.exec(seg)!;
      const list = node.children.get(m[1]!) ?? [];
      node.children.set(m[1]!, list);
      const index = m[2] ? Number(m[2]) : 0;
      list[index] ??= newNode();
      node = list[index]!;
    }
    node.attrs.set(attr, value);
  }
  return top;
}

const ENTRY_TYPES = new Set([
  'OBSERVATION',
  'EVALUATION',
  'INSTRUCTION',
  'ACTION',
  'ADMIN_ENTRY',
  'GENERIC_ENTRY',
]);
const NON_LOCATABLE = new Set(['EVENT_CONTEXT', 'ISM_TRANSITION', 'INSTRUCTION_DETAILS']);

const dvText = (value: string) => ({ _type: 'DV_TEXT', value });

/** RM type of a structural level that the web template leaves out (HISTORY, ITEM_TREE, ELEMENT …). */
function intermediateType(attr: string, parentType: unknown, nextAttr: string | undefined): string {
  if (attr === 'data') return parentType === 'OBSERVATION' ? 'HISTORY' : 'ITEM_TREE';
  if (attr === 'items') return nextAttr === 'value' ? 'ELEMENT' : 'CLUSTER';
  if (attr === 'events') return 'POINT_EVENT';
  if (attr === 'activities') return 'ACTIVITY';
  if (attr === 'content') return 'SECTION';
  return 'ITEM_TREE';
}

interface BuildCtx {
  language: Obj;
  time: string;
}

function attach(parent: Obj, steps: PathStep[], child: unknown, childName: string): void {
  let cur = parent;
  for (let k = 0; k < steps.length - 1; k++) {
    const step = steps[k]!;
    const nextAttr = steps[k + 1]?.attr;
    const fresh = nextAttr === 'value'; // one ELEMENT per value, never shared
    const existing = cur[step.attr];
    const list = Array.isArray(existing) ? (existing as Obj[]) : undefined;
    let found: Obj | undefined;
    if (!fresh) {
      const pool = list ?? (existing && typeof existing === 'object' ? [existing as Obj] : []);
      found = pool.find((o) => !step.nodeId || o.archetype_node_id === step.nodeId);
    }
    if (!found) {
      const type = intermediateType(step.attr, cur._type, nextAttr);
      const name =
        type === 'ELEMENT'
          ? childName
          : (step.name ??
            { HISTORY: 'History', ITEM_TREE: 'Tree', POINT_EVENT: 'Any event' }[type] ??
            type.toLowerCase());
      found = { _type: type, name: dvText(name), ...(step.nodeId ? { archetype_node_id: step.nodeId } : {}) };
      if (LIST_ATTRS.has(step.attr)) cur[step.attr] = [...(list ?? []), found];
      else cur[step.attr] = found;
    }
    cur = found;
  }
  const last = steps[steps.length - 1]!;
  if (LIST_ATTRS.has(last.attr)) cur[last.attr] = [...((cur[last.attr] as unknown[]) ?? []), child];
  else cur[last.attr] = child;
}

function build(node: WebTemplateNode, f: FlatNode, ctx: BuildCtx): unknown {
  if (isLeafType(node.rmType, (node.children ?? []).length > 0)) return dvFromFlat(node.rmType, f.attrs);
  const interval = f.children.has('width') || f.children.has('math_function');
  const type =
    node.rmType === 'EVENT' ? (interval ? 'INTERVAL_EVENT' : 'POINT_EVENT') : baseType(node.rmType);
  const obj: Obj = { _type: type };
  if (!NON_LOCATABLE.has(type) && !type.startsWith('DV_')) {
    obj.name = dvText(node.name ?? node.id);
    if (node.nodeId) obj.archetype_node_id = node.nodeId;
  }
  for (const child of node.children ?? []) {
    const instances = f.children.get(child.id) ?? [];
    instances.forEach((inst) => {
      if (inst)
        attach(
          obj,
          relativeSteps(node.aqlPath, child.aqlPath),
          build(child, inst, ctx),
          child.name ?? child.id,
        );
    });
  }
  if (ENTRY_TYPES.has(type)) {
    obj.language ??= ctx.language;
    obj.encoding ??= {
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'IANA_character-sets' },
      code_string: 'UTF-8',
    };
    obj.subject ??= { _type: 'PARTY_SELF' };
  }
  if (type === 'POINT_EVENT' || type === 'INTERVAL_EVENT')
    obj.time ??= { _type: 'DV_DATE_TIME', value: ctx.time };
  if (type === 'HISTORY') obj.origin ??= { _type: 'DV_DATE_TIME', value: ctx.time };
  if (type === 'INTERVAL_EVENT') {
    const width = f.children.get('width')?.[0]?.attrs.get('');
    if (width !== undefined) obj.width = { _type: 'DV_DURATION', value: width };
    const fn = f.children.get('math_function')?.[0]?.attrs;
    if (fn) obj.math_function = dvFromFlat('DV_CODED_TEXT', fn);
  }
  return obj;
}

/**
 * FLAT → canonical JSON from the web template (used for compositions posted in FLAT): each FLAT path is
 * placed at its node's aqlPath, structural levels (HISTORY, ITEM_TREE, ELEMENT) are created on the way,
 * `ctx/` keys supply defaults. Not EHRbase's SDK, but a faithful shape for the types of §7.3.
 */
export function flatToCanonical(template: TemplateData, flat: Obj): Obj {
  const tree = template.webTemplate?.tree;
  if (!tree) throw new Error(`Template ${template.templateId} has no web template; cannot convert FLAT`);
  if (!Object.keys(flat).some((k) => k.startsWith(`${tree.id}/`) || k.startsWith('ctx/'))) {
    throw new Error(`FLAT composition has no paths under the template's root "${tree.id}/"`);
  }
  const root = parseFlat(flat, tree.id);
  const get = (k: string) => flat[`${tree.id}/${k}`] ?? undefined;
  const time = String(get('context/start_time') ?? flat['ctx/time'] ?? new Date().toISOString());
  const languageCode = get('language|code') ?? flat['ctx/language'] ?? 'en';
  const language = {
    _type: 'CODE_PHRASE',
    terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_639-1' },
    code_string: languageCode,
  };
  const built = build(tree, root, { language, time }) as Obj;
  const context = (built.context as Obj | undefined) ?? { _type: 'EVENT_CONTEXT' };
  context.start_time ??= { _type: 'DV_DATE_TIME', value: time };
  context.setting ??= {
    _type: 'DV_CODED_TEXT',
    value: 'other care',
    defining_code: {
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
      code_string: '238',
    },
  };
  const endTime = root.children.get('context')?.[0]?.children.get('_end_time')?.[0]?.attrs.get('');
  if (typeof endTime === 'string') context.end_time = { _type: 'DV_DATE_TIME', value: endTime };
  const { _type, name, archetype_node_id, context: _c, content, ...rest } = built;
  return {
    _type: 'COMPOSITION',
    name: name ?? dvText(template.templateId),
    archetype_details: {
      _type: 'ARCHETYPED',
      archetype_id: { _type: 'ARCHETYPE_ID', value: tree.nodeId ?? template.archetypeId },
      template_id: { _type: 'TEMPLATE_ID', value: template.templateId },
      rm_version: '1.0.4',
    },
    archetype_node_id: archetype_node_id ?? tree.nodeId,
    language: rest.language ?? language,
    territory: rest.territory ?? {
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'ISO_3166-1' },
      code_string: flat['ctx/territory'] ?? 'US',
    },
    category: rest.category ?? {
      _type: 'DV_CODED_TEXT',
      value: 'event',
      defining_code: {
        _type: 'CODE_PHRASE',
        terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
        code_string: '433',
      },
    },
    composer: rest.composer ?? {
      _type: 'PARTY_IDENTIFIED',
      name: flat['ctx/composer_name'] ?? 'Atlas simulator',
    },
    context,
    ...(content ? { content } : {}),
  };
}
