#!/usr/bin/env node
import { Command } from 'commander';
import { coerceError } from '../errors.js';
import { ATLAS_VERSION } from '../version.js';
import { commandModules } from './commands/index.js';
import { boundHeapGrowth } from './heap.js';

/**
 * Entry point of the `atlas` executable. Each command lives in ./commands/<name>.ts and registers itself
 * through ./commands/index.ts; this file only wires them. `-c/--config` and `-l/--log-level` are accepted
 * before or after the subcommand, so they can be appended to any command line.
 */
export function buildProgram(): Command {
  const program = new Command('atlas')
    .description(
      'Export openEHR compositions (EHRbase, Better) into PostgreSQL, incrementally and verifiably.',
    )
    .version(`atlas ${ATLAS_VERSION}`, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  addGlobalOptions(program);
  for (const mod of commandModules) mod.register(program);
  return program;
}

/** Options every command accepts, before or after the subcommand name. */
export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'configuration file (env ATLAS_CONFIG; default atlas.toml)')
    .option('-l, --log-level <level>', 'trace|debug|info|warn|error (env ATLAS_LOG_LEVEL)')
    .option('--log-format <format>', 'pretty|json (default: pretty on a terminal, json otherwise)');
}

/**
 * A reader that stops early (`| head`, a pager that quits) closes stdout. Writes then fail with EPIPE, which
 * Node would raise as an unhandled error with a stack trace. The output is no longer wanted but the work may
 * be (an export must still finish and commit), so the rest of the output is dropped and the command ends as
 * it would have, with its own exit code.
 */
function dropOutputOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

async function main(): Promise<void> {
  boundHeapGrowth();
  dropOutputOnClosedStdout();
  const program = buildProgram();
  // Commander's own usage errors (unknown option, missing argument) are exit 2, the usage code. Subcommands
  // copy this setting only when created, so it is applied to every command of the built tree.
  const exitOnUsageError = (cmd: Command): void => {
    cmd.exitOverride((err) => {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
    for (const sub of cmd.commands) exitOnUsageError(sub);
  };
  exitOnUsageError(program);
  await program.parseAsync(process.argv);
}

/**
 * If the event loop runs dry while the command has not finished, a promise was left pending for ever (a
 * driver that threw where nobody listens, say). Node would then exit 0 as if all went well; say so instead.
 */
let finished = false;
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  process.stderr.write(
    'error: internal error: the command stopped before it finished (an operation never completed); ' +
      'what it committed before is kept. Please report this with the command line (ATLAS_DEBUG_STACK=1 adds detail).\n',
  );
  process.exitCode = 1;
});

main().then(
  () => {
    finished = true;
  },
  (err: unknown) => {
    finished = true;
    process.stderr.write(`error: ${coerceError(err).message}\n`);
    process.exit(1);
  },
);
