import type { WebTemplateInput, WebTemplateNode } from '../../src/template/index.js';
import { type Draws, normal, zipfIndex } from './random.js';
import { type Analyte, FREE_TEXTS, SNOMED_DIAGNOSES, typicalQuantity } from './vocabulary.js';

/** What a leaf generator may know about its surroundings. */
export interface LeafContext {
  draws: Draws;
  /** EHRbase's example generator instead of lifelike draws (flat-codec-rules.md §8.3). */
  example: boolean;
  /** Node key without `:n` indices (the patient stream's key). */
  key: string;
  /** Occurrence index of the nearest repeated ancestor (a patient's 2nd diagnosis differs from the 1st). */
  occurrence: number;
  /** Clinical time of the composition (ms since the epoch). */
  startMs: number;
  /** Time of the enclosing event, when inside one (ms). */
  eventMs?: number;
  /** Analyte of the enclosing lab-result cluster, when the cluster names one. */
  analyte?: Analyte;
}

type Out = Record<string, unknown>;

const EXAMPLE_DATE_TIME = '2022-02-03T04:05:06';

function input(node: WebTemplateNode, suffix?: string): WebTemplateInput | undefined {
  return node.inputs?.find((i) => (suffix === undefined ? i.suffix === undefined : i.suffix === suffix));
}

/** Pick from a list: the first in example mode, else Zipf-skewed (`u` from the composition or the patient stream). */
function pick<T>(list: readonly T[], c: LeafContext, u = c.draws.next()): T {
  return list[c.example ? 0 : zipfIndex(list.length, u)]!;
}

interface Range {
  lo?: number;
  hi?: number;
  loOpen: boolean;
  hiOpen: boolean;
}

function rangeOf(
  v: { range?: { min?: unknown; minOp?: string; max?: unknown; maxOp?: string } } | undefined,
) {
  const r = v?.range;
  const out: Range = { loOpen: r?.minOp === '>', hiOpen: r?.maxOp === '<' };
  if (typeof r?.min === 'number') out.lo = r.min;
  if (typeof r?.max === 'number') out.hi = r.max;
  return out;
}

function decimalsOf(v: { precision?: { max?: number; min?: number } } | undefined, fallback: number): number {
  const p = v?.precision;
  if (typeof p?.max === 'number' && p.max >= 0) return Math.min(p.max, fallback);
  if (typeof p?.min === 'number' && p.min >= 0) return p.min;
  return fallback;
}

/** Clamp into the range, stepping inside open bounds by one unit of the last decimal. */
function clamp(x: number, r: Range, decimals: number): number {
  const step = 10 ** -decimals;
  let v = Number(x.toFixed(decimals));
  if (r.lo !== undefined && (v < r.lo || (r.loOpen && v <= r.lo))) v = r.lo + (r.loOpen ? step : 0);
  if (r.hi !== undefined && (v > r.hi || (r.hiOpen && v >= r.hi))) v = r.hi - (r.hiOpen ? step : 0);
  return Number(v.toFixed(decimals));
}

/** A value around a per-patient baseline: patient spread 0.8 sd, visit-to-visit spread 0.4 sd. */
function lifelike(c: LeafContext, mean: number, sd: number): number {
  const p = c.draws.patient(`${c.key}#a`);
  const q = c.draws.patient(`${c.key}#b`);
  return mean + sd * (0.8 * normal(p, q) + 0.4 * normal(c.draws.next(), c.draws.next()));
}

function numberIn(
  c: LeafContext,
  r: Range,
  decimals: number,
  typical?: { mean: number; sd: number },
): number {
  if (c.example) {
    if (r.lo !== undefined && r.hi !== undefined) return clamp((r.lo + r.hi) / 2, r, decimals);
    return clamp(r.lo !== undefined ? r.lo + 42 : 42, r, decimals);
  }
  let t = typical;
  if (!t || (r.lo !== undefined && t.mean < r.lo) || (r.hi !== undefined && t.mean > r.hi)) {
    const lo = r.lo ?? (r.hi !== undefined ? Math.min(0, r.hi - 100) : 0);
    const hi = r.hi ?? lo + 100;
    t = { mean: (lo + hi) / 2, sd: (hi - lo) / 6 };
  }
  return clamp(lifelike(c, t.mean, t.sd), r, decimals);
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

function dateTimeValue(node: WebTemplateNode, c: LeafContext): number {
  if (/onset|diagnos|resolution/i.test(node.id)) {
    // A patient's condition started once: years before, the same in every composition of that patient.
    const years = 0.2 + 15 * c.draws.patient(`${c.key}#onset:${c.occurrence}`);
    return Math.floor(c.startMs - years * 365.25 * 86_400_000);
  }
  if (/birth/i.test(node.id))
    return Math.floor(c.startMs - (18 + 70 * c.draws.patient('birth')) * 365.25 * 86_400_000);
  if (/next|due|review|follow/i.test(node.id))
    return Math.floor(c.startMs + (7 + 180 * c.draws.next()) * 86_400_000);
  return c.eventMs ?? c.startMs - Math.floor(c.draws.next() * 3_600_000);
}

function patternOf(node: WebTemplateNode): string {
  return node.inputs?.[0]?.validation?.pattern ?? '';
}

function codedText(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const code = input(node, 'code');
  const list = code?.list;
  if (list && list.length > 0) {
    const item = pick(list, c);
    out[`${prefix}|code`] = item.value;
    out[`${prefix}|value`] = item.label ?? item.value;
    if (code?.terminology && code.terminology !== 'local') out[`${prefix}|terminology`] = code.terminology;
    return;
  }
  const terminology = code?.terminology;
  if (terminology === 'openehr') return;
  if (terminology === 'SNOMED-CT' || /diagnos|problem|condition/i.test(node.id)) {
    // Per patient: the k-th problem of a patient is the same diagnosis in each of their problem lists.
    const u = c.draws.patient(`${c.key}#dx:${c.occurrence}`);
    const [sct, term] = c.example ? ['254626006', 'Adenocarcinoma of lung'] : pick(SNOMED_DIAGNOSES, c, u);
    out[`${prefix}|code`] = sct;
    out[`${prefix}|value`] = term;
    out[`${prefix}|terminology`] = terminology ?? 'SNOMED-CT';
    return;
  }
  const n = c.example ? 42 : zipfIndex(50, c.draws.next()) + 1;
  out[`${prefix}|code`] = String(n);
  out[`${prefix}|value`] = `${node.name} ${n}`;
  out[`${prefix}|terminology`] = terminology ?? 'external';
}

function text(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const list = input(node)?.list;
  if (list && list.length > 0) {
    out[prefix] = pick(list, c).label ?? list[0]!.value;
    return;
  }
  if (c.analyte) out[prefix] = c.analyte.name;
  else out[prefix] = c.example ? 'Lorem ipsum' : pick(FREE_TEXTS, c);
}

function quantity(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const units = input(node, 'unit')?.list ?? [];
  const magnitude = input(node, 'magnitude');
  let unitItem = units[0];
  const analyteUnit = c.analyte ? units.find((u) => u.value === c.analyte!.unit) : undefined;
  if (analyteUnit) unitItem = analyteUnit;
  else if (!c.example && units.length > 1 && c.draws.next() < 0.1) unitItem = pick(units.slice(1), c);
  const unit = unitItem?.value ?? (c.example ? 'mm' : '1');
  const validation = unitItem?.validation ?? magnitude?.validation;
  const typical = analyteUnit ? c.analyte : typicalQuantity(unit, node.id);
  const decimals = decimalsOf(validation, typical && Math.abs(typical.mean) >= 100 ? 0 : 1);
  out[`${prefix}|magnitude`] = numberIn(c, rangeOf(validation), decimals, typical);
  out[`${prefix}|unit`] = unit;
}

function count(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const r = rangeOf(input(node)?.validation);
  if (c.example) {
    out[prefix] = numberIn(c, r, 0);
    return;
  }
  // Counts are small and skewed (most episodes are first episodes).
  const lo = r.lo !== undefined ? r.lo + (r.loOpen ? 1 : 0) : 0;
  const hi = r.hi !== undefined ? r.hi - (r.hiOpen ? 1 : 0) : lo + 20;
  out[prefix] = Math.min(hi, lo + zipfIndex(Math.max(1, hi - lo + 1), c.draws.next()));
}

function ordinal(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const list = input(node)?.list;
  if (!list || list.length === 0) return;
  const item = pick(list, c);
  out[`${prefix}|code`] = item.value;
  out[`${prefix}|value`] = item.label ?? item.value;
  if (item.ordinal !== undefined) out[`${prefix}|ordinal`] = item.ordinal;
}

const PROPORTION_KINDS: Record<string, number> = {
  ratio: 0,
  unitary: 1,
  percent: 2,
  fraction: 3,
  integer_fraction: 4,
};

function proportion(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const kinds = node.proportionTypes ?? ['ratio'];
  const kind = PROPORTION_KINDS[kinds[0] ?? 'ratio'] ?? 0;
  const nr = rangeOf(input(node, 'numerator')?.validation);
  const dr = rangeOf(input(node, 'denominator')?.validation);
  const integral = kind === 3 || kind === 4;
  let denominator =
    kind === 1 ? 1 : kind === 2 ? 100 : numberIn(c, dr.lo === undefined ? { ...dr, lo: 1 } : dr, 0);
  if (denominator === 0) denominator = 1;
  const numerator =
    kind === 2
      ? numberIn(c, { ...nr, lo: nr.lo ?? 0, hi: nr.hi ?? 100 }, 1)
      : numberIn(c, { ...nr, lo: nr.lo ?? 0, hi: nr.hi ?? denominator }, integral ? 0 : 1);
  out[`${prefix}|numerator`] = numerator;
  out[`${prefix}|denominator`] = denominator;
  out[`${prefix}|type`] = kind;
}

const DURATION_FIELDS: ReadonlyArray<readonly [suffix: string, designator: string, time: boolean]> = [
  ['year', 'Y', false],
  ['month', 'M', false],
  ['week', 'W', false],
  ['day', 'D', false],
  ['hour', 'H', true],
  ['minute', 'M', true],
  ['second', 'S', true],
];

function duration(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const fields = DURATION_FIELDS.filter(([s]) => input(node, s));
  const allowed = fields.filter(([s]) => {
    const r = rangeOf(input(node, s)?.validation);
    return r.hi === undefined || r.hi > 0;
  });
  const [suffix, designator, time] =
    (allowed.length > 0 ? (c.example ? allowed[0] : pick(allowed, c)) : undefined) ??
    (['hour', 'H', true] as const);
  const r = rangeOf(input(node, suffix)?.validation);
  const n = c.example
    ? 42
    : Math.max(1, Math.round(numberIn(c, { ...r, lo: Math.max(r.lo ?? 1, 1), hi: r.hi ?? 30 }, 0)));
  const v = c.example && r.hi !== undefined ? Math.max(r.lo ?? 0, Math.min(n, r.hi)) : n;
  out[prefix] = `P${time ? 'T' : ''}${v}${designator}`;
}

function dateTime(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const pattern = patternOf(node);
  if (c.example) {
    out[prefix] = EXAMPLE_DATE_TIME;
    return;
  }
  const iso = isoOf(dateTimeValue(node, c));
  // Partial patterns (`yyyy-mm-ddTHH:??:??`, `XX` = not allowed): keep the allowed precision only.
  if (/T?HH:XX/i.test(pattern) || /T\s*XX/i.test(pattern)) out[prefix] = iso.slice(0, 10);
  else if (/HH:MM:XX/i.test(pattern)) out[prefix] = `${iso.slice(0, 16)}Z`;
  else out[prefix] = iso;
}

function date(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const pattern = patternOf(node);
  const iso = c.example ? EXAMPLE_DATE_TIME : isoOf(dateTimeValue(node, c));
  if (/yyyy-XX/i.test(pattern)) out[prefix] = iso.slice(0, 4);
  else if (/yyyy-mm-XX|yyyy-\?\?-XX/i.test(pattern)) out[prefix] = iso.slice(0, 7);
  else out[prefix] = iso.slice(0, 10);
}

function timeOfDay(_node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  out[prefix] = c.example ? '04:05:06' : isoOf(c.eventMs ?? c.startMs).slice(11, 19);
}

function codePhrase(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): void {
  const code = input(node, 'code') ?? node.inputs?.[0];
  const list = code?.list;
  if (!list || list.length === 0) return;
  out[`${prefix}|code`] = pick(list, c).value;
  if (code?.terminology) out[`${prefix}|terminology`] = code.terminology;
}

/**
 * FLAT keys of one data-value node, valid against its inputs (lists, ranges, units, patterns). Returns
 * false for a type the generator does not fill (DV_STATE, DV_SCALE, parties, references).
 */
export function generateLeaf(node: WebTemplateNode, prefix: string, out: Out, c: LeafContext): boolean {
  const type = node.rmType;
  switch (type) {
    case 'DV_CODED_TEXT':
      codedText(node, prefix, out, c);
      break;
    case 'DV_TEXT':
      text(node, prefix, out, c);
      break;
    case 'DV_QUANTITY':
      quantity(node, prefix, out, c);
      break;
    case 'DV_COUNT':
      count(node, prefix, out, c);
      break;
    case 'DV_ORDINAL':
      ordinal(node, prefix, out, c);
      break;
    case 'DV_PROPORTION':
      proportion(node, prefix, out, c);
      break;
    case 'DV_DURATION':
      duration(node, prefix, out, c);
      break;
    case 'DV_DATE_TIME':
      dateTime(node, prefix, out, c);
      break;
    case 'DV_DATE':
      date(node, prefix, out, c);
      break;
    case 'DV_TIME':
      timeOfDay(node, prefix, out, c);
      break;
    case 'DV_BOOLEAN': {
      const list = input(node)?.list;
      out[prefix] = list && list.length > 0 ? list[0]!.value === 'true' : c.example || c.draws.next() < 0.7;
      break;
    }
    case 'DV_IDENTIFIER':
      out[`${prefix}|id`] = c.example
        ? 'dev/null'
        : String(100000 + Math.floor(c.draws.patient(`${c.key}#id`) * 900000));
      break;
    case 'DV_MULTIMEDIA':
      out[prefix] = 'https://www.example.com/sample';
      out[`${prefix}|mediatype`] = 'image/png';
      out[`${prefix}|size`] = c.example ? 504903212 : 20_000 + Math.floor(c.draws.next() * 500_000);
      break;
    case 'DV_PARSABLE':
      out[prefix] = c.example ? '<html><body>Hello World</body></html>' : 'R1';
      out[`${prefix}|formalism`] = c.example ? 'text/html' : 'timing';
      break;
    case 'DV_URI':
      out[prefix] = 'https://www.example.com/sample';
      break;
    case 'DV_EHR_URI':
      out[prefix] = 'ehr:/.';
      break;
    case 'CODE_PHRASE':
      codePhrase(node, prefix, out, c);
      break;
    default:
      return false;
  }
  return true;
}
