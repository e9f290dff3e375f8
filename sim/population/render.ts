import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { formatFlat } from '../../src/template/index.js';
import { renderBody } from '../data/body-template.js';
import {
  HOLE_COMPOSER,
  HOLE_NUMERIC_BASE,
  HOLE_START_TIME,
  HOLE_UID,
  type Prototype,
} from '../data/prototype.js';
import { generatedDocs } from './generated.js';
import { hash3 } from './hash.js';
import type { Population } from './population.js';

/** Numeric value jittered within ±10% of the prototype's, keeping its number of decimals. */
function jitter(base: number, decimals: number, u: number): string {
  const v = base * (0.9 + 0.2 * u);
  return String(Number(v.toFixed(decimals)));
}

/**
 * Values filling the holes of a prototype's body templates for composition i, version v. The per-version
 * PRNG (pure-rand xoroshiro128+) is seeded from (seed, i, v): the same inputs always give the same body.
 */
export function variantValues(
  p: Prototype,
  fields: { uid: string; startTime?: string; composer?: string; rngSeed: number },
): string[] {
  const values: string[] = [];
  values[HOLE_UID] = JSON.stringify(fields.uid);
  values[HOLE_START_TIME] = JSON.stringify(fields.startTime ?? p.startTime?.value ?? '');
  values[HOLE_COMPOSER] = JSON.stringify(fields.composer ?? '');
  const rng = xoroshiro128plus(fields.rngSeed);
  p.numeric.forEach((pair, k) => {
    values[HOLE_NUMERIC_BASE + k] = jitter(pair.base, pair.decimals, uniformFloat64(rng));
  });
  return values;
}

function generatedValues(pop: Population, i: number, v: number): string[] {
  const p = pop.prototype(i);
  const startTime = pop.startTimeValue(i, v);
  return variantValues(p, {
    uid: pop.uid(i, v),
    ...(startTime !== undefined ? { startTime } : {}),
    composer: pop.composerName(i),
    rngSeed: hash3(pop.seed, i, 1000 + v),
  });
}

/** FLAT body of data version v (caller checked it exists): raw file bytes for an original's version 1. */
export function renderFlat(pop: Population, i: number, v: number): string | Buffer {
  const stored = pop.stored(i, v);
  // formatFlat: reals as EHRbase prints them (`22.0`) when the FLAT came from the codec.
  if (stored) return formatFlat(stored.flat, { pretty: false });
  const p = pop.prototype(i);
  if (p.generator) return formatFlat(generatedDocs(pop, i, v, p.generator).flat, { pretty: false });
  if (pop.isOriginal(i) && v === 1) return p.flatRaw;
  return renderBody(p.flatBody, generatedValues(pop, i, v));
}

/** Canonical JSON body of data version v. */
export function renderCanonical(pop: Population, i: number, v: number): string | Buffer {
  const stored = pop.stored(i, v);
  if (stored) return JSON.stringify(stored.canonical);
  const p = pop.prototype(i);
  if (p.generator) return JSON.stringify(generatedDocs(pop, i, v, p.generator).canonical);
  if (pop.isOriginal(i) && v === 1) return p.canonicalRaw;
  return renderBody(p.canonicalBody, generatedValues(pop, i, v));
}

export function flatObject(pop: Population, i: number, v: number): Record<string, unknown> {
  const stored = pop.stored(i, v);
  if (stored) return structuredClone(stored.flat);
  const p = pop.prototype(i);
  if (p.generator) return structuredClone(generatedDocs(pop, i, v, p.generator).flat);
  return JSON.parse(renderFlat(pop, i, v).toString()) as Record<string, unknown>;
}

export function canonicalObject(pop: Population, i: number, v: number): Record<string, unknown> {
  const stored = pop.stored(i, v);
  if (stored) return structuredClone(stored.canonical);
  const p = pop.prototype(i);
  if (p.generator) return structuredClone(generatedDocs(pop, i, v, p.generator).canonical);
  return JSON.parse(renderCanonical(pop, i, v).toString()) as Record<string, unknown>;
}

export type VersionLookup =
  | { kind: 'data'; version: number }
  | { kind: 'deleted'; version: number }
  | { kind: 'missing' };

/**
 * Which version a GET addresses: an explicit version number, the one current at `atUs`, or the latest.
 * A deleted composition's latest version is its deletion (→ 204).
 */
export function lookupVersion(pop: Population, i: number, version?: number, atUs?: number): VersionLookup {
  const latest = pop.version(i);
  const deleted = pop.isDeleted(i);
  if (version !== undefined) {
    if (version <= latest) return { kind: 'data', version };
    if (deleted && version === latest + 1) return { kind: 'deleted', version };
    return { kind: 'missing' };
  }
  if (atUs !== undefined) {
    if (deleted && pop.deletionTimeUs(i) <= atUs) return { kind: 'deleted', version: latest + 1 };
    for (let v = latest; v >= 1; v--)
      if (pop.versionTimeUs(i, v) <= atUs) return { kind: 'data', version: v };
    return { kind: 'missing' };
  }
  return deleted ? { kind: 'deleted', version: latest + 1 } : { kind: 'data', version: latest };
}
