import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the package.json with the `atlas-sim` bin. Found by walking up from this file so it
 * works from sim/ (tests via vitest) and dist/sim/ (the built CLI) alike.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sim', 'data'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('atlas-sim: cannot locate the package root (package.json + sim/data/)');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();

/** The shipped demo data set (three templates written for Atlas). */
export const DEMO_DATA_DIR = join(PACKAGE_ROOT, 'sim', 'data', 'demo');

/**
 * Manifest describing the real EHRbase fixtures in `../shared/openehr-fixtures` (beside the repository);
 * usable only where that folder exists (tests check `existsSync(SHARED_FIXTURES_DIR)`).
 */
export const SHARED_FIXTURES_MANIFEST = join(PACKAGE_ROOT, 'sim', 'data', 'shared-fixtures.manifest.json');

/** Where the shared fixtures live relative to the package root. */
export const SHARED_FIXTURES_DIR = join(PACKAGE_ROOT, '..', 'shared', 'openehr-fixtures');
