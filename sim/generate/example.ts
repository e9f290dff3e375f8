import { canonicalToFlat, flatToCanonical, type WebTemplate } from '../../src/template/index.js';
import { composeFlat } from './compose.js';
import { EXAMPLE_DRAWS } from './random.js';

/**
 * EHRbase's example composition of a template (`GET …/{template_id}/example`, flat-codec-rules.md §8.3):
 * every optional node once, first list entries, range midpoints, territory DE, composer Max Mustermann,
 * times 2022-02-03T04:05:06. Built as FLAT from the web template, converted by the codec (which fills the
 * RM attributes), and answered in the requested form from the canonical result. No uid: examples have none.
 */
export function exampleComposition(
  wt: WebTemplate,
  nowIso: string,
): {
  canonical: Record<string, unknown>;
  flat: Record<string, unknown>;
} {
  const flat = composeFlat(wt, {
    draws: EXAMPLE_DRAWS,
    example: true,
    startMs: 0,
    composer: 'Max Mustermann',
    territory: 'DE',
  });
  const canonical = flatToCanonical(wt, flat, { now: () => nowIso });
  return { canonical, flat: canonicalToFlat(wt, canonical) };
}
