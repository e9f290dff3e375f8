import { MISC_TYPES, miscFromFlat, miscToFlat } from './dv-misc.js';
import {
  intervalFromFlat,
  intervalToFlat,
  ORDERED_TYPES,
  orderedFromFlat,
  orderedToFlat,
} from './dv-ordered.js';
import { codePhraseFromFlat, codePhraseToFlat, textFromFlat, textToFlat } from './dv-text.js';
import type { FlatNode } from './flat-tree.js';
import { type FlatOut, type Obj, obj } from './out.js';
import { partyFromFlat, partyToFlat } from './party.js';
import { baseType } from './plan.js';
import type { WebTemplateNode } from './types.js';
import { asText } from './values.js';

/** One data value ⇄ its FLAT keys, by RM type. */
export function leafToFlat(out: FlatOut, key: string, value: unknown, node: WebTemplateNode): void {
  if (typeof value === 'string') {
    out.put(key, value); // STRING nodes (ACTIVITY action_archetype_id)
    return;
  }
  const v = obj(value);
  if (!v) return;
  const type = typeof v._type === 'string' ? v._type : node.rmType;
  const typed = v._type === undefined ? { ...v, _type: type } : v;
  const base = baseType(type);
  if (base === 'DV_TEXT' || base === 'DV_CODED_TEXT') textToFlat(out, key, typed, node);
  else if (base === 'CODE_PHRASE') codePhraseToFlat(out, key, typed);
  else if (ORDERED_TYPES.has(base)) orderedToFlat(out, key, typed);
  else if (base === 'DV_INTERVAL') intervalToFlat(out, key, typed, intervalParameter(node.rmType));
  else if (base.startsWith('PARTY_')) partyToFlat(out, key, typed);
  else if (MISC_TYPES.has(base)) miscToFlat(out, key, typed, node);
}

function intervalParameter(rmType: string): string | undefined {
  const m = /<(.+)>/.exec(rmType);
  return m?.[1];
}

export function leafFromFlat(n: FlatNode, node: WebTemplateNode): unknown {
  const base = baseType(node.rmType);
  if (base === 'DV_TEXT' || base === 'DV_CODED_TEXT') return textFromFlat(n, node);
  if (base === 'CODE_PHRASE') return codePhraseFromFlat(n);
  if (ORDERED_TYPES.has(base)) return orderedFromFlat(n, base, node);
  if (base === 'DV_INTERVAL') {
    const t = intervalParameter(node.rmType) ?? 'DV_QUANTITY';
    return intervalFromFlat(n, t, node);
  }
  if (base === 'PARTY_PROXY' || base.startsWith('PARTY_')) return partyFromFlat(n);
  if (base === 'STRING') {
    const v = n.take('');
    return v === undefined ? undefined : asText(n.keyOf(''), v);
  }
  if (MISC_TYPES.has(base)) return miscFromFlat(n, base, node);
  return undefined;
}

export type { Obj };
