import type { PathStep } from './aql-path.js';
import { type CtxDefaults, LANGUAGE, nowText, OTHER_CARE, readCtx, TERRITORY } from './ctx.js';
import { unconsumedError } from './errors.js';
import { parseRaw } from './feeder-audit.js';
import { type FlatNode, leftovers, parseFlat } from './flat-tree.js';
import { leafFromFlat } from './leaf.js';
import { codedText, dvText, type Obj, obj } from './out.js';
import { type Plan, planOf } from './plan.js';
import { rmAttributesFromFlat } from './rm-attributes-in.js';
import { ENTRY_TYPES, NOT_LOCATABLE } from './rm-kinds.js';
import type { FlatComposition, RmObject, WebTemplate } from './types.js';

export interface ToCanonicalOptions {
  /** The current instant for defaults (`context/start_time`, history origin …); default: the clock. */
  now?: () => string;
}

/** RM attributes holding lists. */
const LIST_ATTRS = new Set([
  'content',
  'items',
  'events',
  'activities',
  'other_participations',
  'links',
  'participations',
]);

export interface Build {
  ctx: CtxDefaults;
  now: () => string;
  language: Obj;
  wt: WebTemplate;
}

function structureType(
  attr: string,
  parentType: unknown,
  nextAttr: string | undefined,
  interval: boolean,
): string {
  if (attr === 'data' && parentType === 'OBSERVATION') return 'HISTORY';
  if (attr === 'events') return interval ? 'INTERVAL_EVENT' : 'POINT_EVENT';
  if (attr === 'items') return nextAttr === 'value' ? 'ELEMENT' : 'CLUSTER';
  if (attr === 'activities') return 'ACTIVITY';
  if (attr === 'instruction_details') return 'INSTRUCTION_DETAILS';
  return nextAttr === 'item' ? 'ITEM_SINGLE' : 'ITEM_TREE';
}

const STRUCTURE_NAMES: Record<string, string> = {
  HISTORY: 'History',
  ITEM_TREE: 'Tree',
  ITEM_SINGLE: 'Single',
  POINT_EVENT: 'Any event',
  INTERVAL_EVENT: 'Any event',
  CLUSTER: 'Cluster',
  ACTIVITY: 'Activity',
};

/** Puts `child` at `steps` below `parent`, creating (or reusing, by node id) the structures in between. */
function attach(parent: Obj, steps: readonly PathStep[], child: unknown, interval = false): void {
  let cur = parent;
  for (let k = 0; k < steps.length - 1; k++) {
    const step = steps[k]!;
    const existing = cur[step.attr];
    const pool = Array.isArray(existing) ? (existing as Obj[]) : existing ? [existing as Obj] : [];
    let found = pool.find(
      (o) =>
        (!step.nodeId || o.archetype_node_id === step.nodeId) &&
        (step.name === undefined || obj(o.name)?.value === step.name),
    );
    if (!found) {
      const type = structureType(step.attr, cur._type, steps[k + 1]?.attr, interval);
      found = { _type: type };
      if (type !== 'INSTRUCTION_DETAILS') {
        found.name = dvText(step.name ?? STRUCTURE_NAMES[type] ?? type.toLowerCase());
        if (step.nodeId) found.archetype_node_id = step.nodeId;
      }
      // Appended in place: copying the list for every new structure made building quadratic in its length.
      if (LIST_ATTRS.has(step.attr)) {
        if (Array.isArray(existing)) existing.push(found);
        else cur[step.attr] = [...pool, found];
      } else cur[step.attr] = found;
    }
    cur = found;
  }
  const last = steps[steps.length - 1]!;
  if (LIST_ATTRS.has(last.attr)) {
    const existing = cur[last.attr];
    if (Array.isArray(existing)) existing.push(child);
    else cur[last.attr] = [child];
  } else cur[last.attr] = child;
}

/** `p|raw` as the only key of a node: its canonical JSON replaces the node (§2.6). */
function rawOf(n: FlatNode): Obj | undefined {
  if (!n.has('|raw') || n.attrs.size !== 1 || n.children.size !== 0) return undefined;
  return parseRaw(n.keyOf('|raw'), n.take('|raw'));
}

function nameOf(plan: Plan): string {
  return plan.steps.at(-1)?.name ?? plan.node.name ?? plan.id;
}

function isInterval(n: FlatNode): boolean {
  return n.children.has('math_function');
}

function buildElement(plan: Plan, n: FlatNode, b: Build): Obj | undefined {
  const steps = plan.elementSteps!;
  const element: Obj = { _type: 'ELEMENT', name: dvText(nameOf(plan)) };
  const nodeId = steps.at(-1)?.nodeId;
  if (nodeId) element.archetype_node_id = nodeId;
  rmAttributesFromFlat(plan, n, element, 'ELEMENT', b);
  if (element.null_flavour) {
    n.consumeAll(); // a null flavour discards whatever value keys came with it (§3.21)
    return element;
  }
  const raw = rawOf(n);
  const value = raw ?? leafFromFlat(n, plan.node);
  if (value === undefined) return undefined;
  element.value = value;
  return element;
}

function buildNode(plan: Plan, n: FlatNode, b: Build): Obj | undefined {
  const raw = rawOf(n);
  if (raw) return raw;
  let type = plan.baseType;
  if (type === 'EVENT') type = isInterval(n) ? 'INTERVAL_EVENT' : 'POINT_EVENT';
  const o: Obj = { _type: type };
  if (!NOT_LOCATABLE.has(type)) {
    o.name = dvText(nameOf(plan));
    if (plan.node.nodeId) o.archetype_node_id = plan.node.nodeId;
    if (plan.node.nodeId?.startsWith('openEHR-')) {
      o.archetype_details = {
        _type: 'ARCHETYPED',
        archetype_id: { _type: 'ARCHETYPE_ID', value: plan.node.nodeId },
        ...(type === 'COMPOSITION' ? { template_id: { _type: 'TEMPLATE_ID', value: b.wt.templateId } } : {}),
        rm_version: '1.0.4',
      };
    }
  }
  buildChildren(plan, n, o, b);
  rmAttributesFromFlat(plan, n, o, type, b);
  return o;
}

function buildChildren(plan: Plan, n: FlatNode, o: Obj, b: Build): void {
  const interval = o._type === 'INTERVAL_EVENT' || (ENTRY_TYPES.has(String(o._type)) && isInterval(n));
  for (const child of plan.children) {
    if (child.skip) continue;
    const instances = n.list(child.id);
    const count = child.multi ? instances.length : Math.min(1, instances.length);
    for (let k = 0; k < count; k++) {
      const inst = instances[k];
      if (!inst || inst.isEmpty()) continue;
      if (child.leaf) {
        if (child.elementSteps) {
          const element = buildElement(child, inst, b);
          if (element) attach(o, child.elementSteps, element, interval);
        } else {
          const value = rawOf(inst) ?? leafFromFlat(inst, child.node);
          if (value !== undefined) attach(o, child.steps, value, interval);
        }
        continue;
      }
      const built = buildNode(child, inst, b);
      if (built && !isEmptyStructure(built)) attach(o, child.steps, built, interval);
    }
  }
}

/** EHRbase prunes structures that ended up with no data (ToCompositionWalker.normalise). */
function isEmptyStructure(o: Obj): boolean {
  if (o._type === 'CLUSTER' || o._type === 'SECTION') return !Array.isArray(o.items) || o.items.length === 0;
  return false;
}

/**
 * FLAT → canonical JSON (flat-codec-rules.md §1.2–§5.1), driven by the served web template: `:n` indices,
 * `|attr` per data type, `_attr` RM attributes, `|raw`, null flavours and `ctx/` defaults. Every key must be
 * consumed by some template node or RM attribute; leftovers throw `Could not consume Parts [...]`
 * (FlatCodecError, exit 2; HTTP 400 in EHRbase and the simulator). Values of the wrong type throw naming the key.
 */
export function flatToCanonical(
  wt: WebTemplate,
  flat: FlatComposition,
  options: ToCanonicalOptions = {},
): RmObject {
  const plan = planOf(wt);
  const parsed = parseFlat(flat, plan.id);
  const ctx = readCtx(parsed.ctx);
  const languageCode = ctx.language ?? wt.defaultLanguage ?? 'en';
  const b: Build = { ctx, now: options.now ?? nowText, language: LANGUAGE(languageCode), wt };
  if (ctx.composerSelf)
    parsed.root.child('composer', 0).attrs.set('|_type', { key: 'ctx/composer_self', value: 'PARTY_SELF' });
  const composition = buildNode(plan, parsed.root, b) ?? { _type: 'COMPOSITION' };
  compositionDefaults(plan, composition, b);
  const left = leftovers(parsed);
  if (left.length > 0) throw unconsumedError(left);
  return composition;
}

function compositionDefaults(plan: Plan, c: Obj, b: Build): void {
  const { ctx } = b;
  c.language ??= b.language;
  if (c.territory === undefined && ctx.territory !== undefined) c.territory = TERRITORY(ctx.territory);
  if (c.category === undefined) {
    const node = plan.children.find((p) => p.id === 'category')?.node;
    const item = node?.inputs?.find((i) => i.list?.length === 1)?.list?.[0];
    c.category = item
      ? codedText('openehr', item.value, item.label ?? item.value)
      : codedText('openehr', '433', 'event');
  }
  if (c.composer === undefined && (ctx.composerName !== undefined || ctx.composerId !== undefined)) {
    const composer: Obj = { _type: 'PARTY_IDENTIFIED' };
    if (ctx.composerId !== undefined)
      composer.external_ref = {
        _type: 'PARTY_REF',
        id: { _type: 'GENERIC_ID', value: ctx.composerId, scheme: ctx.idScheme ?? ctx.idNamespace ?? '' },
        namespace: ctx.idNamespace ?? '',
        type: 'PARTY',
      };
    if (ctx.composerName !== undefined) composer.name = ctx.composerName;
    c.composer = composer;
  }
  const hasContext = plan.children.some((p) => p.id === 'context');
  if (hasContext) {
    const context = obj(c.context) ?? { _type: 'EVENT_CONTEXT' };
    c.context = context;
    context.start_time ??= { _type: 'DV_DATE_TIME', value: ctx.time ?? b.now() };
    context.setting ??= ctx.setting ?? OTHER_CARE();
    if (context.end_time === undefined && ctx.endTime !== undefined)
      context.end_time = { _type: 'DV_DATE_TIME', value: ctx.endTime };
    if (context.location === undefined && ctx.location !== undefined) context.location = ctx.location;
    if (
      context.health_care_facility === undefined &&
      (ctx.facilityName !== undefined || ctx.facilityId !== undefined)
    ) {
      const f: Obj = { _type: 'PARTY_IDENTIFIED' };
      if (ctx.facilityId !== undefined)
        f.external_ref = {
          _type: 'PARTY_REF',
          id: { _type: 'GENERIC_ID', value: ctx.facilityId, scheme: ctx.idScheme ?? ctx.idNamespace ?? '' },
          namespace: ctx.idNamespace ?? '',
          type: 'PARTY',
        };
      if (ctx.facilityName !== undefined) f.name = ctx.facilityName;
      context.health_care_facility = f;
    }
    if (context.participations === undefined && ctx.participations.length > 0)
      context.participations = ctx.participations;
  }
}
