import type { Command } from 'commander';
import { type ConfigFlags, loadConfig, redactConfig } from '../config/index.js';
import type { AppContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { createLogger, type LoggerOptions } from './logger.js';
import { globalOptions } from './run.js';

export interface CliContextOptions extends LoggerOptions {
  /** The run's abort signal; commands with their own signal handling (export) pass theirs. */
  signal?: AbortSignal;
  /** Working directory and environment (default: the process's); tests pass their own. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** False for commands that never call the openEHR server (migrate): base_url is then optional. */
  needsOpenEhr?: boolean;
}

/**
 * For commands that only read or change the database (migrate, status, views list/drop/export): they never
 * call the openEHR server, so a configuration without openehr.base_url is enough.
 */
export const DATABASE_ONLY: CliContextOptions = { needsOpenEhr: false };

/** What loading found, for commands that report on the configuration itself (validate-config). */
export interface CliRunInfo {
  configFile?: string;
  warnings: string[];
}

/**
 * Runs a command body with the context every command needs: the configuration (global options, the
 * command's flags, file, variables), the logger built from it, and an abort signal. Configuration
 * warnings are printed to stderr first. The logger is closed afterwards, whatever happens; errors
 * propagate to the action wrapper, which maps them to exit codes.
 */
export async function withCliContext(
  cmd: Command,
  flags: ConfigFlags,
  fn: (ctx: AppContext, info: CliRunInfo) => Promise<number | undefined> | Promise<void>,
  options: CliContextOptions = {},
): Promise<number> {
  const global = globalOptions(cmd);
  const loaded = await loadConfig({
    configPath: global.config,
    cwd: options.cwd,
    env: options.env,
    needsOpenEhr: options.needsOpenEhr,
    flags: {
      ...flags,
      logLevel: flags.logLevel ?? global.logLevel,
      logFormat: flags.logFormat ?? global.logFormat,
    },
    stderrIsTty: options.stderr ? options.stderr.isTTY === true : undefined,
  });
  const stderr = options.stderr ?? process.stderr;
  for (const warning of loaded.warnings) stderr.write(`warning: ${warning}\n`);
  const { logger, close } = createLogger(loaded.config, options);
  const signal = options.signal ?? new AbortController().signal;
  try {
    logger.debug({ file: loaded.source.file, settings: redactConfig(loaded.config) }, 'configuration loaded');
    const code = await fn(
      { config: loaded.config, logger, signal },
      { configFile: loaded.source.file, warnings: loaded.warnings },
    );
    return code ?? ExitCode.ok;
  } finally {
    logger.flush();
    close();
  }
}
