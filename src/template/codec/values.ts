import { valueError } from './errors.js';

/**
 * Reading FLAT values into RM attribute types, with the coercions EHRbase's Jackson accepts
 * (flat-codec-rules.md §1.3): numbers as JSON numbers or numeric strings, booleans as `true` or `"true"`,
 * texts from numbers and booleans. Anything else is an error naming the key (never silently dropped).
 */
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function asText(key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw valueError(key, 'a text', v);
}

export function asReal(key: string, v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v);
  throw valueError(key, 'a number', v);
}

export function asInteger(key: string, v: unknown): number {
  const n = typeof v === 'number' || typeof v === 'string' ? asRealOrNaN(v) : Number.NaN;
  // `1.0` for an integer attribute is accepted (Jackson coerces it; test_all_types.json `proportion_any|type`).
  if (Number.isInteger(n)) return n;
  throw valueError(key, 'an integer', v);
}

function asRealOrNaN(v: number | string): number {
  if (typeof v === 'number') return v;
  return NUMERIC.test(v.trim()) ? Number(v) : Number.NaN;
}

export function asBoolean(key: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw valueError(key, 'true or false', v);
}
