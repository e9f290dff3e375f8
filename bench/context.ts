import type { BenchOptions } from './options.js';
import { fixturesManifest } from './paths.js';
import type { BenchServer } from './postgres.js';

export interface BenchContext {
  opts: BenchOptions;
  server: BenchServer;
  /** Progress lines for the person running the benchmark (stderr). */
  log(message: string): void;
}

/** Which composition shapes a scenario uses, and how they are described in the results. */
export interface Dataset {
  /** `--data` for the simulator (undefined = its shipped demo templates), or OPTs for `--templates`. */
  data: string | undefined;
  description: string;
}

/**
 * Realistic shapes: the real EHRbase fixtures beside the repository (5 templates, FLAT bodies of
 * 2.2-9.7 KB) when that folder exists, else the simulator's shipped demo templates (3 templates, 2.3-3.7 KB).
 */
export function realisticDataset(opts: BenchOptions): Dataset {
  // A folder of OPTs (or .opt files): startBenchSim passes it as `atlas-sim --templates`.
  if (opts.templates)
    return { data: opts.templates, description: `generated data of the templates in ${opts.templates}` };
  const manifest = opts.dataset === 'demo' ? undefined : fixturesManifest();
  if (opts.dataset === 'fixtures' && !manifest)
    throw new Error('--dataset fixtures: ../shared/openehr-fixtures is not beside the repository');
  return manifest
    ? { data: manifest, description: 'real EHRbase fixture templates (5 templates, FLAT 2.2-9.7 KB)' }
    : demoDataset();
}

export function demoDataset(): Dataset {
  return { data: undefined, description: 'simulator demo templates (3 templates, FLAT 2.3-3.7 KB)' };
}

/** Template ids that have live compositions in the simulator's population. */
export function populatedTemplates(liveByTemplate: Record<string, number>): string[] {
  return Object.entries(liveByTemplate)
    .filter(([, n]) => n > 0)
    .map(([id]) => id);
}
