#!/usr/bin/env node
/**
 * `npm run bench`: the export benchmark (docs/benchmark.md). Builds nothing itself: run after `npm run build`.
 *
 *   node dist/bench/run.js [--scenarios full,original,noop,changed,memory,anonymization,views,fetch] [--runs 3]
 *        [--compositions 100000] [--max-compositions N] [--database-url URL] [--out DIR] [--quick]
 */
import type { BenchContext } from './context.js';
import { describeMachine } from './machine.js';
import { parseOptions } from './options.js';
import { openBenchServer } from './postgres.js';
import type { BenchResults } from './results-types.js';
import { anonymizationScenario } from './scenarios/anonymization.js';
import { fetchModesScenario } from './scenarios/fetch-modes.js';
import { fullExportScenario } from './scenarios/full-export.js';
import { incrementalScenarios } from './scenarios/incremental.js';
import { memoryScenario } from './scenarios/memory.js';
import { originalScenario } from './scenarios/original.js';
import { profileScenario } from './scenarios/profile.js';
import { repeatingViewsScenario } from './scenarios/repeating-views.js';
import { writeResults } from './write-results.js';

const notes = (cores: number) => [
  `One machine runs the simulator, the exporter and PostgreSQL at once: on its ${cores} cores the export competes with its own source and target for CPU. The COPY baseline runs with the simulator and the exporter stopped (same database, same table and indexes).`,
  'Rates are compositions stored ÷ wall time of the `atlas export` process (start-up and shutdown included).',
  'Other work on the machine (other processes, shared PostgreSQL) skews wall-clock figures; CPU seconds per 1,000 compositions are the steadier comparison.',
];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv);
  const started = new Date();
  const server = await openBenchServer(opts.databaseUrl);
  const ctx: BenchContext = { opts, server, log: (m) => process.stderr.write(`[bench] ${m}\n`) };
  const want = (s: string) => opts.scenarios.includes(s as never);
  const machine = describeMachine(server.version);
  const results: BenchResults = {
    version: 1,
    label: opts.label,
    startedAt: started.toISOString(),
    finishedAt: '',
    command: ['node dist/bench/run.js', ...argv].join(' '),
    machine,
    notes: notes(machine.cores),
    runs: opts.runs,
    errors: [],
  };
  const attempt = async (scenario: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.log(`${scenario} failed: ${message}`);
      results.errors.push({ scenario, message });
    }
  };
  try {
    if (want('full'))
      await attempt('full', async () => {
        Object.assign(results, await fullExportScenario(ctx));
      });
    if (want('original'))
      await attempt('original', async () => {
        results.original = await originalScenario(ctx, results.full?.rate.median);
      });
    if (want('noop') || want('changed'))
      await attempt('incremental', async () => {
        Object.assign(
          results,
          await incrementalScenarios(ctx, { noop: want('noop'), changed: want('changed') }),
        );
      });
    if (want('memory'))
      await attempt('memory', async () => {
        results.memory = await memoryScenario(ctx, results.full);
      });
    if (want('anonymization'))
      await attempt('anonymization', async () => {
        results.anonymization = await anonymizationScenario(ctx);
      });
    if (want('fetch'))
      await attempt('fetch', async () => {
        results.fetchModes = await fetchModesScenario(ctx);
      });
    if (want('views'))
      await attempt('views', async () => {
        results.views = await repeatingViewsScenario(ctx);
      });
    if (opts.profile) {
      const dir = opts.profile;
      await attempt('profile', async () => {
        const p = await profileScenario(ctx, dir);
        ctx.log(`profile of ${p.compositions} compositions (${p.wallSeconds.toFixed(1)} s), self time:`);
        for (const l of p.byArea)
          ctx.log(`  ${String(l.ms).padStart(7)} ms ${String(l.percent).padStart(5)}%  ${l.name}`);
        ctx.log('top functions:');
        for (const l of p.topFunctions)
          ctx.log(`  ${String(l.ms).padStart(7)} ms ${String(l.percent).padStart(5)}%  ${l.name}`);
      });
    }
  } finally {
    await server.stop();
  }
  results.finishedAt = new Date().toISOString();
  for (const f of writeResults(results, opts.out)) ctx.log(`wrote ${f}`);
  if (results.errors.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
