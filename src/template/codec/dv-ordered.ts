import { normaliseDuration } from './duration.js';
import { valueError } from './errors.js';
import type { FlatNode } from './flat-tree.js';
import { codePhrase, type FlatOut, list, type Obj, obj } from './out.js';
import { normaliseTemporal, type TemporalKind } from './temporal.js';
import type { WebTemplateNode } from './types.js';
import { asBoolean, asInteger, asReal, asText } from './values.js';

/**
 * The ordered data values: DV_QUANTITY, DV_COUNT, DV_ORDINAL, DV_SCALE, DV_PROPORTION, DV_DURATION,
 * DV_DATE_TIME / DV_DATE / DV_TIME, and what DV_ORDERED / DV_AMOUNT add to each (`|normal_status`,
 * `|magnitude_status`, `|accuracy`, `_normal_range`, `_other_reference_ranges`, `_accuracy`)
 * (flat-codec-rules.md §3.4–3.10, §2.5). Reals are written with `out.real` (printed `22.0`).
 */

function put(out: FlatOut, key: string, v: unknown): void {
  if (v !== undefined && v !== null) out.put(key, v);
}

function real(out: FlatOut, key: string, v: unknown): void {
  if (v !== undefined && v !== null) out.real(key, v);
}

const TEMPORAL = new Set(['DV_DATE_TIME', 'DV_DATE', 'DV_TIME']);
/** DV_AMOUNT subtypes: `accuracy` is a Real and `accuracy_is_percent` a Boolean. */
const AMOUNTS = new Set(['DV_QUANTITY', 'DV_COUNT', 'DV_PROPORTION', 'DV_DURATION']);

/** The value types this module handles. */
export const ORDERED_TYPES = new Set([
  'DV_QUANTITY',
  'DV_COUNT',
  'DV_ORDINAL',
  'DV_SCALE',
  'DV_PROPORTION',
  'DV_DURATION',
  ...TEMPORAL,
]);

export function orderedToFlat(out: FlatOut, key: string, v: Obj): void {
  const type = v._type as string;
  switch (type) {
    case 'DV_QUANTITY':
      real(out, `${key}|magnitude`, v.magnitude);
      put(out, `${key}|unit`, v.units);
      put(out, `${key}|precision`, v.precision);
      put(out, `${key}|units_system`, v.units_system);
      put(out, `${key}|units_display_name`, v.units_display_name);
      break;
    case 'DV_COUNT':
      put(out, key, v.magnitude);
      break;
    case 'DV_ORDINAL':
    case 'DV_SCALE': {
      const symbol = obj(v.symbol);
      put(out, `${key}|code`, obj(symbol?.defining_code)?.code_string);
      put(out, `${key}|value`, symbol?.value);
      // DV_SCALE (RM 1.1) has no FLAT form in EHRbase; Atlas writes its Real value as `|scale`.
      if (type === 'DV_ORDINAL') put(out, `${key}|ordinal`, v.value);
      else real(out, `${key}|scale`, v.value);
      break;
    }
    case 'DV_PROPORTION': {
      const { numerator, denominator } = v;
      if (typeof numerator === 'number' && typeof denominator === 'number' && denominator !== 0)
        out.real(key, numerator / denominator);
      real(out, `${key}|numerator`, numerator);
      real(out, `${key}|denominator`, denominator);
      put(out, `${key}|type`, v.type);
      put(out, `${key}|precision`, v.precision);
      break;
    }
    case 'DV_DURATION':
      put(out, key, typeof v.value === 'string' ? (normaliseDuration(v.value) ?? v.value) : v.value);
      break;
    default:
      put(
        out,
        key,
        typeof v.value === 'string' ? (normaliseTemporal(type as TemporalKind, v.value) ?? v.value) : v.value,
      );
  }
  if (AMOUNTS.has(type)) {
    real(out, `${key}|accuracy`, v.accuracy);
    put(out, `${key}|accuracy_is_percent`, v.accuracy_is_percent);
  }
  put(out, `${key}|magnitude_status`, v.magnitude_status);
  put(out, `${key}|normal_status`, obj(v.normal_status)?.code_string);
  if (TEMPORAL.has(type) && typeof v.accuracy === 'string') put(out, `${key}/_accuracy`, v.accuracy);
  const normal = obj(v.normal_range);
  if (normal) intervalToFlat(out, `${key}/_normal_range`, normal, type);
  list(v.other_reference_ranges).forEach((r, i) => {
    const p = `${key}/_other_reference_ranges:${i}`;
    const meaning = obj(r.meaning);
    if (meaning) {
      const dc = obj(meaning.defining_code);
      if (dc) {
        put(out, `${p}/meaning|code`, dc.code_string);
        put(out, `${p}/meaning|value`, meaning.value);
        put(out, `${p}/meaning|terminology`, obj(dc.terminology_id)?.value);
      } else put(out, `${p}/meaning`, meaning.value);
    }
    const range = obj(r.range);
    if (range) intervalToFlat(out, p, range, type);
  });
}

/** DV_INTERVAL<T>: `p/lower…`, `p/upper…` with T's keys, flags only when not the default (§3.15). */
export function intervalToFlat(out: FlatOut, key: string, iv: Obj, type?: string): void {
  for (const end of ['lower', 'upper'] as const) {
    const v = obj(iv[end]);
    if (v) orderedToFlat(out, `${key}/${end}`, type && !v._type ? { ...v, _type: type } : v);
  }
  if (iv.lower_included === false) out.put(`${key}|lower_included`, false);
  if (iv.upper_included === false) out.put(`${key}|upper_included`, false);
  if (iv.lower_unbounded === true) out.put(`${key}|lower_unbounded`, true);
  if (iv.upper_unbounded === true) out.put(`${key}|upper_unbounded`, true);
}

export function intervalFromFlat(n: FlatNode, type: string, node?: WebTemplateNode): Obj | undefined {
  const iv: Obj = { _type: `DV_INTERVAL<${type}>` };
  let any = false;
  for (const end of ['lower', 'upper'] as const) {
    const e = n.one(end);
    const child = node?.children?.find((c) => c.id === end);
    const v = e ? orderedFromFlat(e, type, child) : undefined;
    if (v) {
      iv[end] = v;
      any = true;
    }
  }
  for (const flag of ['lower_included', 'upper_included', 'lower_unbounded', 'upper_unbounded']) {
    const raw = n.take(`|${flag}`);
    if (raw !== undefined) {
      iv[flag] = asBoolean(n.keyOf(`|${flag}`), raw);
      any = true;
    }
  }
  if (!any) return undefined;
  iv.lower_included ??= iv.lower !== undefined;
  iv.upper_included ??= iv.upper !== undefined;
  iv.lower_unbounded ??= iv.lower === undefined;
  iv.upper_unbounded ??= iv.upper === undefined;
  return iv;
}

function text(n: FlatNode, attr: string): string | undefined {
  const v = n.take(attr);
  return v === undefined ? undefined : asText(n.keyOf(attr), v);
}

function int(n: FlatNode, attr: string): number | undefined {
  const v = n.take(attr);
  return v === undefined ? undefined : asInteger(n.keyOf(attr), v);
}

function num(n: FlatNode, attr: string): number | undefined {
  const v = n.take(attr);
  return v === undefined ? undefined : asReal(n.keyOf(attr), v);
}

function listFor(node: WebTemplateNode | undefined, suffix: string | undefined) {
  return node?.inputs?.find((i) => (i.suffix ?? '') === (suffix ?? '') && i.list)?.list;
}

const DURATION_UNITS: Array<[string, string]> = [
  ['year', 'Y'],
  ['month', 'M'],
  ['week', 'W'],
  ['day', 'D'],
  ['hour', 'H'],
  ['minute', 'M'],
  ['second', 'S'],
];

function durationFromComponents(n: FlatNode): string | undefined {
  const parts = new Map<string, number>();
  for (const [unit] of DURATION_UNITS) {
    const v = int(n, `|${unit}`);
    if (v !== undefined) parts.set(unit, v);
  }
  if (parts.size === 0) return undefined;
  // EHRbase adds `|minute` and `|second` as hours (a bug, §3.9); Atlas reads them as minutes and seconds.
  let date = '';
  let time = '';
  for (const [unit, letter] of DURATION_UNITS) {
    const v = parts.get(unit);
    if (!v) continue;
    if (unit === 'hour' || unit === 'minute' || unit === 'second') time += `${v}${letter}`;
    else date += `${v}${letter}`;
  }
  return normaliseDuration(`P${date}${time ? `T${time}` : ''}`) ?? 'PT0S';
}

/** FLAT → one ordered value of `type`; `undefined` when no key carries data. */
export function orderedFromFlat(n: FlatNode, type: string, node?: WebTemplateNode): Obj | undefined {
  let v: Obj | undefined;
  switch (type) {
    case 'DV_QUANTITY': {
      const magnitude = num(n, '|magnitude');
      let units = text(n, '|units') ?? text(n, '|unit');
      const unitList = listFor(node, 'unit');
      if (units === undefined && unitList?.length === 1) units = unitList[0]!.value;
      const precision = int(n, '|precision');
      const system = text(n, '|units_system');
      const display = text(n, '|units_display_name');
      if (magnitude === undefined && units === undefined) break;
      v = { _type: 'DV_QUANTITY', magnitude, units };
      if (precision !== undefined) v.precision = precision;
      if (system !== undefined) v.units_system = system;
      if (display !== undefined) v.units_display_name = display;
      break;
    }
    case 'DV_COUNT': {
      const m = int(n, '') ?? int(n, '|value');
      if (m !== undefined) v = { _type: 'DV_COUNT', magnitude: m };
      break;
    }
    case 'DV_ORDINAL':
    case 'DV_SCALE': {
      const code = text(n, '|code') ?? text(n, '');
      n.take('|terminology'); // always local: consumed and ignored (§3.6)
      const label = text(n, '|value');
      const number = type === 'DV_ORDINAL' ? int(n, '|ordinal') : num(n, '|scale');
      if (code === undefined) {
        if (label !== undefined || number !== undefined)
          throw valueError(n.keyOf('|value'), `a |code for this ${type}`, label ?? number);
        break;
      }
      const item = listFor(node, undefined)?.find((l) => l.value === code);
      const value = item?.ordinal ?? number;
      if (value === undefined)
        throw valueError(
          n.keyOf('|code'),
          `a code of the template's list or an |${type === 'DV_ORDINAL' ? 'ordinal' : 'scale'}`,
          code,
        );
      v = {
        _type: type,
        value,
        symbol: {
          _type: 'DV_CODED_TEXT',
          value: item?.label ?? label ?? code,
          defining_code: codePhrase('local', code),
        },
      };
      break;
    }
    case 'DV_PROPORTION': {
      n.take(''); // the magnitude is derived; accepted and ignored (§3.8)
      const numerator = num(n, '|numerator');
      const denominator = num(n, '|denominator');
      let ptype = int(n, '|type');
      const precision = int(n, '|precision');
      if (numerator === undefined && denominator === undefined) break;
      const types = node?.inputs?.find((i) => i.suffix === 'type')?.list;
      if (ptype === undefined && types?.length === 1) ptype = Number(types[0]!.value);
      v = { _type: 'DV_PROPORTION', numerator, denominator, type: ptype };
      if (precision !== undefined) v.precision = precision;
      break;
    }
    case 'DV_DURATION': {
      const bare = text(n, '');
      const value = bare !== undefined ? normaliseDuration(bare) : durationFromComponents(n);
      if (bare !== undefined && value === undefined)
        throw valueError(n.keyOf(''), 'an ISO 8601 duration', bare);
      if (value !== undefined) v = { _type: 'DV_DURATION', value };
      break;
    }
    default: {
      if (!TEMPORAL.has(type)) return undefined;
      const bare = text(n, '');
      if (bare === undefined) break;
      const value = normaliseTemporal(type as TemporalKind, bare);
      if (value === undefined)
        throw valueError(n.keyOf(''), `an ISO 8601 ${type.slice(3).toLowerCase().replace('_', '-')}`, bare);
      v = { _type: type, value };
    }
  }
  const extras = orderedExtrasFromFlat(n, type);
  if (!v) return extras ? { _type: type, ...extras } : undefined;
  return extras ? { ...v, ...extras } : v;
}

function orderedExtrasFromFlat(n: FlatNode, type: string): Obj | undefined {
  const e: Obj = {};
  const accuracy = AMOUNTS.has(type) ? num(n, '|accuracy') : undefined;
  if (accuracy !== undefined) e.accuracy = accuracy;
  const pct = n.take('|accuracy_is_percent');
  if (pct !== undefined) e.accuracy_is_percent = asBoolean(n.keyOf('|accuracy_is_percent'), pct);
  const ms = text(n, '|magnitude_status');
  if (ms !== undefined) e.magnitude_status = ms;
  const ns = text(n, '|normal_status');
  if (ns !== undefined)
    e.normal_status = {
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr_normal_statuses' },
      code_string: ns,
    };
  const acc = n.one('_accuracy');
  if (acc && TEMPORAL.has(type)) {
    const d = text(acc, '');
    if (d !== undefined) e.accuracy = normaliseDuration(d) ?? d;
  }
  const normal = n.one('_normal_range');
  if (normal) {
    const r = intervalFromFlat(normal, type);
    if (r) e.normal_range = r;
  }
  const ranges = n
    .list('_other_reference_ranges')
    .map((r) => {
      if (!r) return undefined;
      const m = r.one('meaning');
      const meaning = m
        ? m.has('|code')
          ? {
              _type: 'DV_CODED_TEXT',
              value: text(m, '|value') ?? '',
              defining_code: codePhrase(text(m, '|terminology') ?? 'local', text(m, '|code')!),
            }
          : { _type: 'DV_TEXT', value: text(m, '') ?? text(m, '|value') ?? '' }
        : undefined;
      const range = intervalFromFlat(r, type);
      return { _type: 'REFERENCE_RANGE', ...(meaning ? { meaning } : {}), ...(range ? { range } : {}) };
    })
    .filter((r) => r !== undefined);
  if (ranges.length) e.other_reference_ranges = ranges;
  return Object.keys(e).length ? e : undefined;
}
