import { cachedIn } from '../memo.js';
import { type CompositionPlan, planComposition } from './composition-plan.js';
import type { KeyPlan } from './key-plan.js';

const MAX_KEYS = 100_000;
const MAX_SHAPES = 2_000;

/**
 * Composition plans, remembered per shape. Compositions of one template mostly repeat the same keys in the
 * same order, so a plan is found by a cheap signature and confirmed with one identity comparison per key
 * (JSON.parse interns keys, so equal keys are usually the same string); new shapes pay one lookup per key.
 */
export function createPlanCache(
  classify: (key: string) => KeyPlan,
): (keys: readonly string[]) => CompositionPlan {
  const byKey = new Map<string, KeyPlan>();
  const byShape = new Map<string, CompositionPlan>();
  const planOf = (key: string) => cachedIn(byKey, key, MAX_KEYS, () => classify(key));
  return (keys) => {
    const signature = `${keys.length}\0${keys[0] ?? ''}\0${keys[keys.length - 1] ?? ''}`;
    const known = byShape.get(signature);
    if (known && sameKeys(known.keys, keys)) return known;
    const plan = planComposition(keys.slice(), planOf);
    if (byShape.size >= MAX_SHAPES) byShape.clear();
    byShape.set(signature, plan);
    return plan;
  };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
