import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs as dist/bench/paths.js (or bench/paths.ts under a TS runner). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: package.json not found above the benchmark code');
    dir = up;
  }
  return dir;
}

/** A path inside dist/ (the built CLI and simulator the benchmark spawns). */
export function distPath(...parts: string[]): string {
  return join(repoRoot(), 'dist', ...parts);
}

/** The real EHRbase fixtures manifest (beside the repository), if that folder is there. */
export function fixturesManifest(): string | undefined {
  const manifest = join(repoRoot(), 'sim', 'data', 'shared-fixtures.manifest.json');
  const fixtures = resolve(repoRoot(), '..', 'shared', 'openehr-fixtures');
  return existsSync(manifest) && existsSync(fixtures) ? manifest : undefined;
}
