import type { AnonymizationConfig } from '../config/types.js';
import type { FlatComposition } from '../transform/types.js';
import type { AnonymizationMode, Category } from './categories.js';
import type { DateGeneralization } from './generalize/calendar.js';
import { generalizeDate } from './generalize/calendar.js';
import { parseIsoDateValue } from './generalize/iso-date.js';
import type { TextHit } from './patterns/types.js';
import { createRecorder } from './recorder.js';
import { type CompositionPlan, PHOTO_PLAN, valueHints } from './structure/composition-plan.js';
import { judgeFieldValue } from './structure/field-value.js';
import {
  findKnownValues,
  type KnownValue,
  knownIdentifierValue,
  knownNameValues,
} from './text/known-values.js';
import { replaceInText } from './text/replace-in-text.js';
import type { Tokenizer } from './tokens.js';
import type { AnonymizeInput, AnonymizeResult } from './types.js';
import { mapLeavesAt } from './value-tree.js';

/** Everything `anonymizeComposition` needs from its anonymiser (keyed functions and caches included). */
export interface AnonymizerEnv {
  mode: AnonymizationMode;
  strategy: AnonymizationConfig['strategy'];
  dryRun: boolean;
  pseudonymizeEhrId: boolean;
  dateShift: boolean;
  tokenize: Tokenizer;
  auditHash: (value: string) => string;
  pseudonymize: (ehrId: string) => string;
  shiftDaysOf: (ehrId: string) => number;
  planFor: (keys: readonly string[]) => CompositionPlan;
  patternHitsOf: (text: string) => readonly TextHit[];
}

/** Categories whose structural values are worth finding again in free text (see known-values.ts). */
const ID_LIKE: ReadonlySet<Category> = new Set([
  'IDENTIFIER',
  'MRN',
  'NATIONAL_ID',
  'HEALTH_PLAN',
  'ACCOUNT',
  'LICENSE',
  'VEHICLE',
  'DEVICE',
]);

/**
 * Structure first, patterns second: whole fields the FLAT path identifies are replaced first (and their
 * values remembered), then free text is scanned for patterns and for those remembered values.
 */
export function anonymizeComposition(env: AnonymizerEnv, input: AnonymizeInput): AnonymizeResult {
  const { flat, ehrId } = input;
  const how: DateGeneralization = env.dateShift ? { shiftDays: env.shiftDaysOf(ehrId) } : {};
  const keys = Object.keys(flat);
  const plan = env.planFor(keys);
  const hints = valueHints(flat, plan);
  const values = keys.map((k) => flat[k]);
  const recorder = createRecorder(env);
  const known: KnownValue[] = [];
  if (env.pseudonymizeEhrId && ehrId.length > 0) {
    const pseudonym = env.pseudonymize(ehrId);
    known.push({ text: ehrId, category: 'IDENTIFIER', detector: 'known-value:ehr-id', pseudonym });
  }

  const fieldIndexes =
    hints.photos.size === 0
      ? plan.fields
      : [...plan.fields.filter((i) => !hints.photos.has(i)), ...hints.photos];
  for (const i of fieldIndexes) {
    const keyPlan = hints.photos.has(i) ? PHOTO_PLAN : plan.plans[i]!;
    if (keyPlan.kind !== 'field') continue;
    values[i] = mapLeavesAt(keys[i]!, values[i], (leaf, path) => {
      const verdict = judgeFieldValue(leaf, keyPlan.category, keyPlan.value, env.mode, how);
      if (!verdict) return leaf;
      const original = String(leaf);
      if (verdict.category === 'NAME') known.push(...knownNameValues(original));
      else if (ID_LIKE.has(verdict.category)) {
        const value = knownIdentifierValue(original, verdict.category);
        if (value) known.push(value);
      }
      return recorder.replace(path, verdict.category, keyPlan.detector, original, verdict.generalized);
    });
  }
  // Longer known values first, so "Dr. Marcus Johnson" wins over "Marcus" at the same position.
  known.sort((a, b) => b.text.length - a.text.length);

  for (const i of plan.texts) {
    if (hints.photos.has(i)) continue;
    const allowBasic = hints.isoParsable.has(i);
    values[i] = mapLeavesAt(keys[i]!, values[i], (leaf, path) => {
      if (typeof leaf !== 'string') return leaf;
      const date = parseIsoDateValue(leaf, allowBasic);
      if (date)
        return recorder.replace(path, 'DATE', 'structure:date-value', leaf, generalizeDate(date, how));
      return replaceInText(leaf, path, candidatesIn(leaf, env, known), recorder, how);
    });
  }

  const { findings } = recorder;
  if (env.dryRun) return { flat, findings };
  // A spread copy of a parsed object keeps its V8 hidden class (fast properties); replacing values of
  // existing keys keeps it too. Building a fresh object key by key would end in dictionary mode and make
  // serialising it (canonical JSON, checksum) several times slower.
  const out: FlatComposition = { ...flat };
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (values[i] === flat[key]) continue;
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: values[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = values[i];
  }
  return { flat: out, findings };
}

/** Known values first: at equal extent they win over pattern hits (see resolveOverlaps). */
function candidatesIn(text: string, env: AnonymizerEnv, known: readonly KnownValue[]): readonly TextHit[] {
  const patternHits = env.patternHitsOf(text);
  if (known.length === 0) return patternHits;
  const candidates: TextHit[] = [];
  findKnownValues(text, known, candidates);
  if (candidates.length === 0) return patternHits;
  for (const hit of patternHits) candidates.push(hit);
  return candidates;
}
