import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlatComposition } from '../../../src/transform/types.js';

/** The real FLAT compositions in ../shared/openehr-fixtures (read in place, never copied into the repo). */
export const FLAT_FIXTURE_DIR = join(
  process.cwd(),
  '..',
  'shared',
  'openehr-fixtures',
  'compositions',
  'flat',
);

export interface FlatFixture {
  name: string;
  text: string;
  flat: FlatComposition;
}

export function loadFlatFixtures(): FlatFixture[] {
  return readdirSync(FLAT_FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(FLAT_FIXTURE_DIR, name), 'utf8');
      return { name, text, flat: JSON.parse(text) as FlatComposition };
    });
}

export function loadFlatFixture(name: string): FlatComposition {
  const found = loadFlatFixtures().find((f) => f.name === name);
  if (!found) throw new Error(`fixture ${name} not found in ${FLAT_FIXTURE_DIR}`);
  return found.flat;
}
