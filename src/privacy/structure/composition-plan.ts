import type { FlatComposition } from '../../transform/types.js';
import { field, type KeyPlan } from './key-plan.js';

/**
 * The plans for all keys of one composition shape (its key list), plus what the keys' siblings say about
 * data types FLAT does not name in the key:
 * - `p|issuer` / `p|assigner` exist → `p` is a DV_IDENTIFIER's id → IDENTIFIER (decided from keys alone);
 * - `p|mediatype` is `image/…` or `video/…` → `p` (the URI) and `p|data` are a picture of the patient as far
 *   as anyone can tell → PHOTO (Safe Harbor: full-face photographs and comparable images);
 * - `p|formalism` is `ISO8601` → `p` is a DV_PARSABLE in ISO 8601, so a basic-format date (`20170629`) in
 *   it is a date.
 * The last two depend on values and are checked per composition (`valueHints`), on the few keys listed here.
 */
export interface CompositionPlan {
  keys: readonly string[];
  plans: readonly KeyPlan[];
  /** Indexes of keys planned as `field`, then of keys planned as `text`. */
  fields: readonly number[];
  texts: readonly number[];
  media: readonly { type: number; base?: number; data?: number }[];
  formalisms: readonly { attr: number; base?: number }[];
}

const IDENTIFIER_ID = field('IDENTIFIER', 'structure:identifier');
const PHOTO = field('PHOTO', 'structure:image');

export function planComposition(keys: readonly string[], planOf: (key: string) => KeyPlan): CompositionPlan {
  const plans = keys.map(planOf);
  const index = new Map(keys.map((k, i) => [k, i]));
  const media: { type: number; base?: number; data?: number }[] = [];
  const formalisms: { attr: number; base?: number }[] = [];
  keys.forEach((key, i) => {
    const bar = key.lastIndexOf('|');
    if (bar < 0) return;
    const base = key.slice(0, bar);
    const attr = key.slice(bar + 1);
    if (attr === 'issuer' || attr === 'assigner') {
      const at = index.get(base);
      if (at !== undefined) plans[at] = IDENTIFIER_ID;
    } else if (attr === 'mediatype' || attr === 'media_type') {
      media.push({ type: i, base: index.get(base), data: index.get(`${base}|data`) });
    } else if (attr === 'formalism') {
      formalisms.push({ attr: i, base: index.get(base) });
    }
  });
  const fields: number[] = [];
  const texts: number[] = [];
  plans.forEach((p, i) => {
    if (p.kind === 'field') fields.push(i);
    else if (p.kind === 'text') texts.push(i);
  });
  return { keys, plans, fields, texts, media, formalisms };
}

export interface ValueHints {
  /** Key indexes that are pictures (PHOTO fields) in this composition. */
  photos: Set<number>;
  /** Key indexes whose value may be an ISO 8601 basic-format date. */
  isoParsable: Set<number>;
}

const NONE: ValueHints = { photos: new Set(), isoParsable: new Set() };
const PICTURE_TYPE = /^(?:image|video)\//i;

export function valueHints(flat: FlatComposition, plan: CompositionPlan): ValueHints {
  if (plan.media.length === 0 && plan.formalisms.length === 0) return NONE;
  const photos = new Set<number>();
  const isoParsable = new Set<number>();
  for (const m of plan.media) {
    const type = flat[plan.keys[m.type]!];
    if (typeof type !== 'string' || !PICTURE_TYPE.test(type)) continue;
    if (m.base !== undefined) photos.add(m.base);
    if (m.data !== undefined) photos.add(m.data);
  }
  for (const f of plan.formalisms) {
    if (f.base !== undefined && flat[plan.keys[f.attr]!] === 'ISO8601') isoParsable.add(f.base);
  }
  return { photos, isoParsable };
}

export { PHOTO as PHOTO_PLAN };
