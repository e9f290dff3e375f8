import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runDemo } from '../../app/demo.js';
import { demoVariables } from '../../demo/demo-config.js';
import { claimDemoDirectory } from '../../demo/demo-database.js';
import { demoTemplateIds, servedTemplateIds } from '../../demo/demo-templates.js';
import { introText, nextStepsText, queriesText } from '../../demo/demo-text.js';
import { atlasInvocation, displayPath } from '../../demo/invocation.js';
import { loadSampleQueries } from '../../demo/sample-queries.js';
import { startSimulatorProcess } from '../../demo/simulator-process.js';
import { ConfigError } from '../../errors.js';
import { exitCodeOf, formatSummary } from '../../export/index.js';
import { addExamples } from '../help/examples.js';
import { intOption } from '../options.js';
import { chooseProgress } from '../progress/index.js';
import { logLineProgress } from '../progress/log-lines.js';
import { action, globalOptions } from '../run.js';
import { installShutdown } from '../signals.js';
import { withStandaloneContext } from '../standalone-context.js';
import type { CommandModule } from './index.js';

interface DemoOptions {
  ehrs: number;
  compositions?: number;
  seed: number;
  dataDir: string;
  keep?: boolean;
  json?: boolean;
  rows: number;
  templates?: string;
}

/** Compositions per EHR when --compositions is not given: 200 EHRs → 3,000 compositions. */
const COMPOSITIONS_PER_EHR = 15;

/** `atlas demo`: simulator → export into the embedded database → summary → the README's sample queries. */
export const demoCommand: CommandModule = {
  register(program: Command) {
    const cmd = program
      .command('demo')
      .description(
        'export a simulated openEHR server into an embedded database and query the result (no setup, no configuration)',
      )
      .option('--ehrs <n>', 'EHRs in the simulated population', intOption('--ehrs', 1, 100_000), 200)
      .option(
        '--compositions <n>',
        `compositions in the population (default: ${COMPOSITIONS_PER_EHR} per EHR)`,
        intOption('--compositions', 1, 10_000_000),
      )
      .option('--seed <n>', 'seed of the population (same seed, same data)', intOption('--seed', 0), 42)
      .option('--data-dir <dir>', 'directory of the demo database', '.atlas/demo')
      .option(
        '--keep',
        'keep the previous demo database and export incrementally into it (default: start empty)',
      )
      .option('--rows <n>', 'rows shown per sample query', intOption('--rows', 1, 1000), 5)
      .option('--json', 'print the summary and the query results as JSON on stdout')
      .option(
        '--templates <dir>',
        'your own templates: a folder of .opt files (or .opt files, comma-separated); the simulator generates their data',
      )
      .action(action((opts: DemoOptions, c: Command) => runDemoCommand(c, opts)));
    addExamples(cmd, [
      ['atlas demo', 'the full demo: 200 EHRs, ~3,000 compositions, sample queries'],
      ['atlas demo --keep', 'rerun incrementally into the previous result (finds nothing new)'],
      ['atlas demo --ehrs 1000 --seed 7', 'a larger, different population'],
      ['atlas demo --json > demo.json', 'machine-readable summary and query results'],
      ['atlas demo --templates ./my-templates', 'the demo on your own OPTs (generated, lifelike data)'],
      ['atlas sql --db .atlas/demo "SELECT count(*) FROM compositions"', 'query the result afterwards'],
    ]);
    cmd.addHelpText(
      'after',
      '\nThe demo reads no atlas.toml and no ATLAS_* variables except ATLAS_LOG_LEVEL/ATLAS_LOG_FORMAT.\n' +
        'It starts the bundled simulator (atlas-sim) as a separate process on 127.0.0.1 and stops it at the end.\n',
    );
  },
};

async function runDemoCommand(cmd: Command, opts: DemoOptions): Promise<number> {
  const started = Date.now();
  const out = (text: string) => {
    if (!opts.json) process.stdout.write(text);
  };
  const dataDir = resolve(opts.dataDir);
  const own = ownTemplates(opts.templates);
  claimDemoDirectory(dataDir);
  // The sample queries are written for the demo templates; on the user's own templates they are skipped.
  const [demoIds, queries] = await Promise.all([
    own ? Promise.resolve(undefined) : demoTemplateIds(),
    own ? Promise.resolve([]) : loadSampleQueries(),
  ]);
  const population = {
    ehrs: opts.ehrs,
    compositions: opts.compositions ?? opts.ehrs * COMPOSITIONS_PER_EHR,
    seed: opts.seed,
  };
  if (demoIds)
    out(
      introText({
        ...population,
        templateIds: demoIds,
        dataDir: displayPath(dataDir),
        keep: opts.keep === true,
      }),
    );
  const shutdown = installShutdown({
    timeoutSeconds: 30,
    write: (text) => process.stderr.write(text),
    exit: (code) => process.exit(code),
  });
  const stderrIsTty = process.stderr.isTTY === true;
  try {
    out('Starting the simulator and opening the database…\n');
    const sim = await startSimulatorProcess({ ...population, ...(own ? { templates: own } : {}) });
    try {
      const templateIds = demoIds ?? (await servedTemplateIds(sim.baseUrl));
      if (!demoIds)
        out(
          introText({ ...population, templateIds, dataDir: displayPath(dataDir), keep: opts.keep === true }),
        );
      const global = globalOptions(cmd);
      return await withStandaloneContext(
        {
          vars: demoVariables({ baseUrl: sim.baseUrl, dataDir, templateIds }),
          cwd: dataDir,
          logLevel: global.logLevel,
          logFormat: global.logFormat,
          // On a terminal the progress bars tell the story; elsewhere the progress lines are info logs.
          defaultLogLevel: stderrIsTty && !opts.json ? 'warn' : 'info',
          signal: shutdown.signal,
        },
        async (ctx) => {
          shutdown.setTimeoutSeconds(ctx.config.export.shutdownTimeoutSecs);
          const { summary, results } = await runDemo(ctx, {
            keep: opts.keep === true,
            queries,
            progress: (c) =>
              opts.json ? logLineProgress(c.logger) : chooseProgress(c.logger, { stderrIsTty }),
            onReady: () => out(`Exporting from ${sim.baseUrl}\n`),
          });
          const code = exitCodeOf(summary, shutdown.exitCode() ?? 130);
          const durationMs = Date.now() - started;
          if (opts.json) {
            const report = {
              dataDir,
              population,
              templateIds,
              summary,
              queries: results,
              exitCode: code,
              durationMs,
            };
            process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
            return code;
          }
          out(formatSummary(summary));
          if (results.length > 0) {
            out(`\n${queriesText(results, opts.rows)}\n`);
            out(nextStepsText(atlasInvocation(), displayPath(dataDir), durationMs));
          }
          return code;
        },
      );
    } finally {
      await sim.stop();
    }
  } finally {
    shutdown.dispose();
  }
}

/** `--templates`: absolute paths of existing folders / .opt files, or a usage error (exit 2) naming the bad one. */
function ownTemplates(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const paths = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => resolve(p));
  if (paths.length === 0) throw new ConfigError('--templates: give a folder of .opt files or .opt files');
  for (const p of paths) if (!existsSync(p)) throw new ConfigError(`--templates: ${p} does not exist`);
  return paths;
}
