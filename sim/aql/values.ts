import { parseInstantUs } from '../time/iso.js';

/** A cell already serialised as JSON (e.g. a whole composition for `SELECT c`): written verbatim. */
export class RawJson {
  constructor(readonly text: string) {}
}

const DATE_TYPES = new Set(['DV_DATE_TIME', 'DV_DATE']);

/**
 * The comparable form of a cell value: DV_DATE_TIME/DV_DATE by instant (µs), DV_QUANTITY/DV_COUNT/
 * DV_PROPORTION by magnitude, DV_ORDINAL by its ordinal, other DVs by `value`, primitives as they are.
 * `undefined` for absent values (never equal to anything).
 */
export function comparable(v: unknown): number | string | boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof RawJson) return v.text;
  if (typeof v !== 'object') return v as number | string | boolean;
  const o = v as Record<string, unknown>;
  const type = typeof o._type === 'string' ? o._type : '';
  if (DATE_TYPES.has(type) && typeof o.value === 'string') return parseInstantUs(o.value);
  if (typeof o.magnitude === 'number') return o.magnitude;
  if (type === 'DV_ORDINAL' && typeof o.value === 'number') return o.value;
  if (typeof o.value === 'string' || typeof o.value === 'number' || typeof o.value === 'boolean')
    return o.value;
  return JSON.stringify(v);
}

/** Whether a value is a date/time DV (its operands are parsed as instants). */
export function isInstantValue(v: unknown): boolean {
  return (
    v !== null && typeof v === 'object' && DATE_TYPES.has((v as Record<string, unknown>)._type as string)
  );
}

/** Compare two comparables; undefined when incomparable (a condition with it is false). */
export function compareKeys(a: unknown, b: unknown): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (typeof a === 'number' && typeof b === 'number')
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b)))
    return a - Number(b);
  if (typeof a === 'string' && typeof b === 'number' && a.trim() !== '' && !Number.isNaN(Number(a)))
    return Number(a) - b;
  return undefined;
}

/** Sort order with absent values last (ascending), like PostgreSQL's default NULLS LAST. */
export function sortCompare(a: unknown, b: unknown): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  const c = compareKeys(a, b);
  if (c !== undefined) return c;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** SQL LIKE with AQL's wildcards (`*`/`%` any run, `?`/`_` one character). */
export function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '%') re += '.*';
    else if (ch === '?' || ch === '_') re += '.';
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}
