import type { WebTemplate, WebTemplateNode } from '../../src/template/index.js';
import { generateLeaf, type LeafContext } from './leaves.js';
import { type Draws, zipfIndex } from './random.js';
import { ANALYTES, type Analyte } from './vocabulary.js';

/** Knobs of one generated composition (see docs/simulator.md, "Populations of any template"). */
export interface ComposeOptions {
  draws: Draws;
  /** EHRbase's example generator: every optional node once, first list entries, midpoints. */
  example: boolean;
  /** Clinical time (`context/start_time`), ms since the epoch. */
  startMs: number;
  composer: string;
  territory: string;
  /** Probability that an optional node is present (random mode). Default 0.7. */
  optionalRate?: number;
  /** Upper bound of instances of a repeated node (random mode). Default 3. */
  maxRepeat?: number;
}

type Out = Record<string, unknown>;

/** RM attributes the FLAT codec fills from `ctx/` or the template (flat-codec-rules.md §5.1): not generated. */
const FILLED_BY_CODEC = new Set([
  'language',
  'encoding',
  'subject',
  'composer',
  'territory',
  'category',
  'setting',
  'narrative',
  'expiry_time',
  'timing',
  'action_archetype_id',
  'activity_id',
  'instruction_id',
  'transition',
  'provider',
  'other_participations',
  'health_care_facility',
  'location',
  'end_time',
  'work_flow_id',
  'guideline_id',
  'feeder_audit',
  'uid',
  'links',
  // PARTICIPATION parts a template constrains (FLAT `_participation:n|function`), not walked by the codec.
  'function',
  'mode',
  'performer',
  // Set through `ctx/time` below.
  'start_time',
]);

const LEAF_PREFIXES = ['DV_', 'CODE_PHRASE', 'PARTY_', 'STRING', 'LOCATABLE_REF'];

function isLeaf(node: WebTemplateNode): boolean {
  return LEAF_PREFIXES.some((p) => node.rmType.startsWith(p));
}

/** RM attribute nodes carry no archetype node id (or are flagged in context by EHRbase). */
function isRmAttribute(node: WebTemplateNode): boolean {
  return node.inContext === true || !node.nodeId;
}

interface State {
  o: Required<Omit<ComposeOptions, 'draws'>> & { draws: Draws };
  out: Out;
}

interface Scope {
  occurrence: number;
  /** Inside a lab-result cluster: its name and value are always reported. */
  complete?: boolean;
  eventMs?: number;
  analyte?: Analyte;
}

/** How many instances of a node (group of same-id siblings) to generate. */
function instances(s: State, min: number, max: number, force: boolean, leafy: boolean): number {
  const cap = max === -1 ? Number.POSITIVE_INFINITY : max;
  if (s.o.example) return Math.min(Math.max(min, 1), cap);
  if (min === 0 && !force && s.o.draws.next() >= s.o.optionalRate) return 0;
  const lo = Math.max(min, 1);
  if (cap <= lo) return Math.min(lo, cap);
  // Repeated leaves stay rare; repeated structures get 1..maxRepeat instances, skewed to few.
  const extra = leafy ? (s.o.draws.next() < 0.15 ? 1 : 0) : zipfIndex(s.o.maxRepeat, s.o.draws.next());
  return Math.min(cap, lo + extra);
}

/** A lab-result cluster: a text child naming the analyte beside a quantity child. */
function namesAnalyte(node: WebTemplateNode): boolean {
  const kids = node.children ?? [];
  return (
    kids.some((k) => k.rmType === 'DV_TEXT' && /name|analyte/i.test(k.id) && !k.inputs?.[0]?.list) &&
    kids.some((k) => k.rmType === 'DV_QUANTITY')
  );
}

function keyOf(prefix: string): string {
  return prefix.replace(/:\d+/g, '');
}

function leaf(s: State, node: WebTemplateNode, prefix: string, scope: Scope): boolean {
  const c: LeafContext = {
    draws: s.o.draws,
    example: s.o.example,
    key: keyOf(prefix),
    occurrence: scope.occurrence,
    startMs: s.o.startMs,
    ...(scope.eventMs !== undefined ? { eventMs: scope.eventMs } : {}),
    ...(scope.analyte ? { analyte: scope.analyte } : {}),
  };
  return generateLeaf(node, prefix, s.out, c);
}

/** DV_INTERVAL<T>: lower and upper from the same generator, then ordered (lower ≤ upper). */
function interval(s: State, node: WebTemplateNode, prefix: string, scope: Scope): boolean {
  const kids = node.children ?? [];
  const lower = kids.find((k) => k.id === 'lower');
  const upper = kids.find((k) => k.id === 'upper');
  if (!lower || !upper) return false;
  const a: Out = {};
  const b: Out = {};
  const saved = s.out;
  s.out = a;
  leaf(s, lower, `${prefix}/lower`, scope);
  s.out = b;
  leaf(s, upper, `${prefix}/upper`, scope);
  s.out = saved;
  const main = (o: Out, side: string) => o[`${prefix}/${side}|magnitude`] ?? o[`${prefix}/${side}`];
  const la = main(a, 'lower');
  const ub = main(b, 'upper');
  const swap = la !== undefined && ub !== undefined && (la as number | string) > (ub as number | string);
  const rename = (o: Out, from: string, to: string) =>
    Object.entries(o).map(([k, v]) => [k.replace(`${prefix}/${from}`, `${prefix}/${to}`), v] as const);
  for (const [k, v] of swap
    ? [...rename(a, 'lower', 'upper'), ...rename(b, 'upper', 'lower')]
    : [...Object.entries(a), ...Object.entries(b)])
    s.out[k] = v;
  return Object.keys(a).length + Object.keys(b).length > 0;
}

/** ISM_TRANSITION: a careflow step from the list and its first current state (consistent pair). */
function ism(s: State, node: WebTemplateNode, prefix: string): boolean {
  const step = node.children?.find((k) => k.id === 'careflow_step');
  const list = step?.inputs?.find((i) => i.suffix === 'code')?.list ?? [];
  if (list.length === 0) return false;
  const item = list[s.o.example ? 0 : zipfIndex(list.length, s.o.draws.next())]!;
  s.out[`${prefix}/careflow_step|code`] = item.value;
  s.out[`${prefix}/careflow_step|value`] = item.label ?? item.value;
  const state = item.currentStates?.[0];
  if (state) s.out[`${prefix}/current_state|code`] = state;
  return true;
}

/** One instance of a node at `prefix`; true when it produced any key. */
function node(s: State, n: WebTemplateNode, prefix: string, scope: Scope, force: boolean): boolean {
  if (n.rmType.startsWith('DV_INTERVAL')) return interval(s, n, prefix, scope);
  if (isLeaf(n)) return leaf(s, n, prefix, scope);
  if (n.rmType === 'ISM_TRANSITION') return ism(s, n, prefix);
  if (n.rmType === 'ELEMENT') {
    // A choice element: one of its typed values.
    const kids = (n.children ?? []).filter((k) => isLeaf(k));
    if (kids.length === 0) return false;
    const k = kids[s.o.example ? 0 : Math.floor(s.o.draws.next() * kids.length)]!;
    return node(s, k, `${prefix}/${k.id}`, scope, force);
  }
  return children(s, n, prefix, scope, force);
}

function children(s: State, parent: WebTemplateNode, prefix: string, scope: Scope, force: boolean): boolean {
  const groups = new Map<string, WebTemplateNode[]>();
  for (const k of parent.children ?? []) {
    if (isRmAttribute(k) && FILLED_BY_CODEC.has(k.id)) continue;
    const g = groups.get(k.id);
    if (g) g.push(k);
    else groups.set(k.id, [k]);
  }
  let any = false;
  let first = true;
  for (const [id, group] of groups) {
    const head = group[0]!;
    const min = Math.max(...group.map((g) => g.min ?? 0));
    const max = group.some((g) => g.max === -1) ? -1 : Math.max(...group.map((g) => g.max ?? 1));
    const multi = max === -1 || max > 1;
    // A mandatory parent with nothing in it yet: its first generatable child is made present.
    const always = scope.complete === true && (head.rmType === 'DV_TEXT' || head.rmType === 'DV_QUANTITY');
    let n = instances(s, min, max, (force && first) || always, isLeaf(head));
    // A lab panel reports several analytes (3–6), not one or two.
    if (!s.o.example && namesAnalyte(head))
      n = Math.min(max === -1 ? 6 : max, 3 + zipfIndex(4, s.o.draws.next()));
    const isEvent = /EVENT$/.test(head.rmType);
    for (let k = 0; k < n; k++) {
      const member = group.length > 1 ? group[k % group.length]! : head;
      const segment = multi ? `${id}:${k}` : id;
      const inner: Scope = { ...scope, occurrence: multi ? k : scope.occurrence };
      if (isEvent) inner.eventMs = s.o.startMs - (n - k) * (s.o.example ? 0 : 5 * 60_000);
      if (namesAnalyte(member)) {
        inner.analyte = ANALYTES[(s.o.example ? 0 : k) % ANALYTES.length]!;
        inner.complete = true;
      }
      let made = node(s, member, `${prefix}/${segment}`, inner, min > 0);
      if (!made && (min > 0 || k === 0) && !isLeaf(member))
        made = node(s, member, `${prefix}/${segment}`, inner, true);
      any ||= made;
    }
    // The context does not count as content: a composition gets at least one entry.
    if (n > 0 && head.rmType !== 'EVENT_CONTEXT') first = false;
    if (any) force = false;
  }
  return any;
}

/**
 * A FLAT composition of any template, generated from its web template: values valid against the
 * template's lists, ranges, units and occurrences; `ctx/` keys give language, territory and composer.
 * Convert with `flatToCanonical` (the codec fills the RM attributes, flat-codec-rules.md §5.1).
 */
export function composeFlat(wt: WebTemplate, options: ComposeOptions): Record<string, unknown> {
  const s: State = {
    o: { optionalRate: 0.7, maxRepeat: 3, ...options },
    out: {},
  };
  const root = wt.tree.id;
  s.out['ctx/language'] = wt.defaultLanguage;
  s.out['ctx/territory'] = options.territory;
  s.out['ctx/composer_name'] = options.composer;
  // `ctx/time`: the context start time, and the fallback of ACTION times and history origins.
  s.out['ctx/time'] = options.example ? '2022-02-03T04:05:06' : new Date(options.startMs).toISOString();
  children(s, wt.tree, root, { occurrence: 0 }, true);
  return s.out;
}
