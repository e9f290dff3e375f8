import { type AnonymizationMode, isDetectedIn } from '../categories.js';
import { ELEMENT_RULES, type ElementRule } from './element-rules.js';
import { type FlatKey, parseFlatKey, wordsOf } from './flat-key.js';
import { field, type KeyPlan, SKIP, TEXT } from './key-plan.js';
import { classifyPartyKey } from './party-rules.js';

/**
 * Attributes that hold a code system, a unit, a scheme or a type, never a person's data. `code` is skipped
 * for ordinary elements only: inside a matched element (a coded gender, a coded city) it is replaced.
 */
const NEVER_IDENTIFYING = new Set([
  'terminology',
  'unit',
  'units_system',
  'units_display_name',
  'formalism',
  'id_scheme',
  'id_namespace',
  'type',
  'mediatype',
  'media_type',
  'precision',
  'magnitude_status',
  'normal_status',
  'accuracy',
  'accuracy_is_percent',
  'lower_included',
  'upper_included',
  'lower_unbounded',
  'upper_unbounded',
  'size',
  'compression_algorithm',
  'integrity_check_algorithm',
  'charset',
  'language',
  'encoding',
  'function',
  'mode',
  'namespace',
]);

/** Decides the plan for one FLAT key (see KeyPlan). Pure; the anonymiser caches the result per key. */
export function classifyKey(key: string, mode: AnonymizationMode): KeyPlan {
  const parsed = parseFlatKey(key);
  const last = parsed.segments[parsed.segments.length - 1] ?? '';
  if (last === '_uid') return SKIP;
  const party = classifyPartyKey(parsed);
  if (party) return party;
  if (parsed.attr !== undefined && NEVER_IDENTIFYING.has(parsed.attr)) return SKIP;
  const rule = matchElementRule(parsed, mode);
  if (rule) return field(rule.category, rule.detector, rule.kind);
  return parsed.attr === 'code' ? SKIP : TEXT;
}

function matchElementRule(parsed: FlatKey, mode: AnonymizationMode): ElementRule | undefined {
  const ids = parsed.segments.map((s) => `_${wordsOf(s).join('_')}_`);
  const leaf = ids[ids.length - 1] ?? '';
  // The root is the composition itself (its id comes from the composition name); never an element.
  const ancestors = ids.slice(1, -1);
  const active = ELEMENT_RULES.filter((r) => isDetectedIn(mode, r.category));
  const byLeaf = active.find((r) => matches(leaf, r.leaf) && !matches(leaf, r.except ?? []));
  if (byLeaf) return byLeaf;
  return active.find((r) => r.ancestor && ancestors.some((a) => matches(a, r.ancestor!)));
}

function matches(id: string, phrases: readonly string[]): boolean {
  return phrases.some((p) => id.includes(`_${p}_`));
}
