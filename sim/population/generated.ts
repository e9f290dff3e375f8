import { canonicalToFlat, flatToCanonical, type WebTemplate } from '../../src/template/index.js';
import { composeFlat } from '../generate/compose.js';
import { drawsFor } from '../generate/random.js';
import type { Population } from './population.js';

const TERRITORIES = ['GB', 'DE', 'NL', 'SE', 'US', 'AU'];
const CACHE_SIZE = 256;

/** Documents of recently asked (composition, version) pairs: a FLAT GET often follows an AQL read. */
const caches = new WeakMap<Population, Map<string, Docs>>();

export interface Docs {
  flat: Record<string, unknown>;
  canonical: Record<string, unknown>;
}

/** `doc` with `uid` placed after `name` (where EHRbase serialises it). */
function withUid(doc: Record<string, unknown>, uid: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'uid') continue;
    out[k] = v;
    if (k === 'name') out.uid = { _type: 'OBJECT_VERSION_ID', value: uid };
  }
  if (!('uid' in out)) out.uid = { _type: 'OBJECT_VERSION_ID', value: uid };
  return out;
}

/**
 * Version v of composition i of a template whose population is generated from its web template: a pure
 * function of (seed, i, v) and the patient (EHR), so nothing is stored. Per-patient streams keep a
 * patient's baselines and diagnoses; the per-version stream varies the rest.
 */
type Generator = { webTemplate: WebTemplate; optionalRate?: number; maxRepeat?: number };

function compose(
  pop: Population,
  g: Generator,
  at: { i: number; v: number; ehr: number; startMs: number; uid: string },
): Docs {
  const wt = g.webTemplate;
  const draws = drawsFor(pop.seed, at.ehr, at.i, at.v);
  const flat = composeFlat(wt, {
    ...(g.optionalRate !== undefined ? { optionalRate: g.optionalRate } : {}),
    ...(g.maxRepeat !== undefined ? { maxRepeat: g.maxRepeat } : {}),
    draws,
    example: false,
    startMs: at.startMs,
    composer: pop.composerName(at.i),
    territory: TERRITORIES[Math.floor(draws.patient('territory') * TERRITORIES.length)]!,
  });
  const iso = new Date(at.startMs).toISOString();
  const canonical = withUid(flatToCanonical(wt, flat, { now: () => iso }), at.uid);
  return { flat: canonicalToFlat(wt, canonical), canonical };
}

export function generatedDocs(pop: Population, i: number, v: number, g: Generator): Docs {
  let cache = caches.get(pop);
  if (!cache) {
    cache = new Map();
    caches.set(pop, cache);
  }
  const key = `${i}:${v}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const docs = compose(pop, g, {
    i,
    v,
    ehr: pop.ehrIndex(i),
    startMs: Math.floor(pop.startUs(i) / 1000),
    uid: pop.uid(i, v),
  });
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, docs);
  return docs;
}

/** Documents for a composition committed now (control `commit`) into slot k of a generated template. */
export function composedDocs(
  pop: Population,
  p: { generator?: Generator },
  k: number,
  ehr: number,
  nowUs: number,
  uid: string,
): Docs {
  return compose(pop, p.generator!, { i: k, v: 1, ehr, startMs: Math.floor(nowUs / 1000), uid });
}
