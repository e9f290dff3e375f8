import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import type { AppContext } from '../context.js';
import { createLogger } from './logger.js';

export interface StandaloneOptions {
  /** ATLAS_* variables describing the run (the only configuration source besides defaults). */
  vars: Record<string, string>;
  /** Directory used as the configuration's working directory (relative paths; no atlas.toml is read there). */
  cwd: string;
  /** -l/--log-level and --log-format as given on the command line. */
  logLevel?: string;
  logFormat?: string;
  /** Level when neither a flag nor ATLAS_LOG_LEVEL chose one. */
  defaultLogLevel?: string;
  signal?: AbortSignal;
}

/**
 * A context built without the user's configuration: `atlas demo` and `atlas sql/db serve --db <dir>` must
 * work on a machine with no atlas.toml and must not pick up one meant for a production server. The
 * configuration goes through the normal loader and validation, fed only with the given variables (plus
 * ATLAS_LOG_LEVEL / ATLAS_LOG_FORMAT from the environment, so logging is chosen as everywhere else).
 */
export async function withStandaloneContext<T>(
  opts: StandaloneOptions,
  fn: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  const cwd = resolve(opts.cwd);
  const env: Record<string, string> = { ...opts.vars };
  const level = process.env.ATLAS_LOG_LEVEL || opts.defaultLogLevel;
  if (level) env.ATLAS_LOG_LEVEL = level;
  if (process.env.ATLAS_LOG_FORMAT) env.ATLAS_LOG_FORMAT = process.env.ATLAS_LOG_FORMAT;
  const loaded = await loadConfig({
    cwd,
    env,
    flags: { logLevel: opts.logLevel, logFormat: opts.logFormat },
  });
  for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
  const { logger, close } = createLogger(loaded.config);
  try {
    return await fn({ config: loaded.config, logger, signal: opts.signal ?? new AbortController().signal });
  } finally {
    logger.flush();
    close();
  }
}
