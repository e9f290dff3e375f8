import { Command, InvalidArgumentError, Option } from 'commander';

export const SCENARIOS = [
  'full',
  'original',
  'noop',
  'changed',
  'memory',
  'anonymization',
  'views',
  'fetch',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: ScenarioName[];
  runs: number;
  /** Compositions of the full export (scenario 1) and the COPY baseline (2). */
  compositions: number;
  /** Compositions of the original-pattern baseline (a subset: it is slow). */
  originalCompositions: number;
  /** EHRs of the no-op / 1%-changed population (× the 3 demo templates). */
  incrementalEhrs: number;
  /** Dataset sizes of the memory scenario (capped by maxCompositions). */
  memorySizes: number[];
  maxCompositions: number;
  /** Compositions of the anonymization overhead scenario. */
  anonymizationCompositions: number;
  dataset: 'auto' | 'fixtures' | 'demo';
  /** `--templates DIR`: OPTs whose populations the simulator generates (wins over --dataset). */
  templates: string | undefined;
  seed: number;
  databaseUrl: string | undefined;
  /** Results folder (default bench/results). */
  out: string | undefined;
  /** Extra `atlas export` flags for every exporter run (tuning experiments). */
  exportFlags: string[];
  /** Write a CPU profile of one 20k export into this folder and print its top functions. */
  profile: string | undefined;
  /** Label of this run in the results (e.g. "before", "after"). */
  label: string | undefined;
}

function positiveInt(v: string): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function intList(v: string): number[] {
  return v.split(',').map((s) => positiveInt(s.trim()));
}

function scenarioList(v: string): ScenarioName[] {
  const names = v.split(',').map((s) => s.trim());
  for (const n of names)
    if (!(SCENARIOS as readonly string[]).includes(n))
      throw new InvalidArgumentError(`unknown scenario ${n}; known: ${SCENARIOS.join(', ')}`);
  return names as ScenarioName[];
}

/** `node dist/bench/run.js [flags]`; `--quick` is a small, fast configuration for trying the harness out. */
export function parseOptions(argv: string[]): BenchOptions {
  const program = new Command('atlas-bench')
    .description('Atlas export benchmark (docs/benchmark.md)')
    .option('--scenarios <list>', `comma-separated subset of ${SCENARIOS.join(',')}`, scenarioList)
    .option('--runs <n>', 'runs per figure (median, min, max)', positiveInt, 3)
    .option('--compositions <n>', 'compositions of the full export and COPY baseline', positiveInt, 100_000)
    .option(
      '--original-compositions <n>',
      'compositions of the original-pattern baseline',
      positiveInt,
      5_000,
    )
    .option(
      '--incremental-ehrs <n>',
      'EHRs of the incremental scenarios (× 3 templates)',
      positiveInt,
      10_000,
    )
    .option(
      '--memory-sizes <list>',
      'dataset sizes of the memory scenario',
      intList,
      [10_000, 100_000, 1_000_000],
    )
    .option('--max-compositions <n>', 'cap on any dataset size (the 1M memory run takes long)', positiveInt)
    .option(
      '--anonymization-compositions <n>',
      'compositions of the anonymization scenario',
      positiveInt,
      20_000,
    )
    .addOption(
      new Option('--dataset <d>', 'composition shapes').choices(['auto', 'fixtures', 'demo']).default('auto'),
    )
    .option(
      '--templates <dir>',
      'folder of .opt files (or .opt files, comma-separated): benchmark on their generated data',
    )
    .option('--seed <n>', 'simulator seed', positiveInt, 42)
    .option(
      '--database-url <url>',
      'PostgreSQL role that may CREATE DATABASE (default: local 5432, else embedded)',
    )
    .option('--out <dir>', 'results folder (default bench/results)')
    .option(
      '--export-flag <flag>',
      'extra `atlas export` flag for every run (repeatable)',
      (v, p: string[]) => [...p, v],
      [],
    )
    .option('--profile <dir>', 'also write a CPU profile of a 20k-composition export into <dir>')
    .option('--label <text>', 'label of this run in the results (e.g. before/after)')
    .option('--quick', 'small sizes and 1 run (minutes, not an hour)');
  program.parse(argv, { from: 'user' });
  const o = program.opts();
  const quick = o.quick === true;
  const max = o.maxCompositions ?? (quick ? 20_000 : 1_000_000);
  const cap = (n: number) => Math.min(n, max);
  const given = (name: string) => program.getOptionValueSource(name) === 'cli';
  return {
    scenarios: o.scenarios ?? [...SCENARIOS],
    runs: quick && !given('runs') ? 1 : o.runs,
    compositions: cap(quick && !given('compositions') ? 10_000 : o.compositions),
    originalCompositions: cap(quick && !given('originalCompositions') ? 1_000 : o.originalCompositions),
    incrementalEhrs: quick && !given('incrementalEhrs') ? 1_000 : o.incrementalEhrs,
    memorySizes: [
      ...new Set<number>((quick && !given('memorySizes') ? [2_000, 10_000] : o.memorySizes).map(cap)),
    ],
    maxCompositions: max,
    anonymizationCompositions: cap(
      quick && !given('anonymizationCompositions') ? 5_000 : o.anonymizationCompositions,
    ),
    dataset: o.dataset,
    templates: o.templates,
    seed: o.seed,
    databaseUrl: o.databaseUrl,
    out: o.out,
    exportFlags: o.exportFlag,
    profile: o.profile,
    label: o.label,
  };
}
