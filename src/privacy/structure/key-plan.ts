import type { Category } from '../categories.js';
import type { ValueKind } from './element-rules.js';

/**
 * What to do with the value under one FLAT key, decided from the key alone (cached per key):
 * `skip` — never identifying (codes, units, terminology ids, the composition's own uid);
 * `field` — the whole value is an identifier of `category` (every string or number in it is replaced);
 * `text` — free text: a whole ISO date is a DATE, otherwise pattern detectors look for identifiers inside.
 */
export type KeyPlan =
  | { kind: 'skip' }
  | { kind: 'text' }
  | { kind: 'field'; category: Category; detector: string; value: ValueKind };

export const SKIP: KeyPlan = { kind: 'skip' };
export const TEXT: KeyPlan = { kind: 'text' };

export function field(category: Category, detector: string, value: ValueKind = 'text'): KeyPlan {
  return { kind: 'field', category, detector, value };
}
