import { canonicalToFlat, formatFlat } from '../../src/template/index.js';
import type { Faults } from '../types.js';
import type { Population } from './population.js';
import { canonicalObject, flatObject, renderFlat } from './render.js';

/** The key the `flatDiffers` fault adds to every FLAT it serves (a marshaller that disagrees with Atlas's). */
export const DIFFERING_KEY = 'atlas_sim/flat_differs';

type FlatFaults = Pick<Faults, 'flatFromCanonical' | 'flatDiffers'>;

/**
 * The FLAT of data version v as the FLAT endpoint serves it. By default the paired fixture file (originals
 * byte for byte); with `flatFromCanonical`, marshalled from the canonical JSON with the template's web
 * template on every GET, as EHRbase does (it stores canonical only), so FLAT and `SELECT c` agree exactly.
 * `flatDiffers` adds one key, so a client converting canonical JSON itself sees a mismatch.
 */
export function servedFlatObject(
  pop: Population,
  i: number,
  v: number,
  f: FlatFaults,
): Record<string, unknown> {
  const wt = f.flatFromCanonical ? pop.data.templates[pop.templateIndex(i)]?.webTemplate : undefined;
  const flat = wt ? canonicalToFlat(wt, canonicalObject(pop, i, v)) : flatObject(pop, i, v);
  if (f.flatDiffers) flat[DIFFERING_KEY] = 'differs';
  return flat;
}

export function servedFlat(pop: Population, i: number, v: number, f: FlatFaults): string | Buffer {
  if (!f.flatFromCanonical && !f.flatDiffers) return renderFlat(pop, i, v);
  return formatFlat(servedFlatObject(pop, i, v, f), { pretty: false });
}
