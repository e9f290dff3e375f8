import type { Command } from 'commander';
import { coerceError, ExitCode, exitCodeOfError } from '../errors.js';

/** Options common to every command, merged from before and after the subcommand name. */
export interface GlobalOptions {
  config?: string;
  logLevel?: string;
  logFormat?: string;
}

/**
 * Wraps a command action: runs it, maps a thrown AtlasError to its exit code (anything else: 1) and prints
 * the message (never a stack, never a secret: messages are written to be shown). The action returns the
 * exit code it wants (0 when omitted).
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number | undefined> | number | undefined,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = (await fn(...args)) ?? ExitCode.ok;
    } catch (err) {
      const e = coerceError(err);
      process.stderr.write(`error: ${e.message}\n`);
      if (process.env.ATLAS_DEBUG_STACK === '1' && e.stack) process.stderr.write(`${e.stack}\n`);
      code = exitCodeOfError(e);
    }
    process.exitCode = code;
  };
}

/** The command's own options merged with the global ones (`atlas -c x export` and `atlas export -c x`). */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as GlobalOptions;
  return { config: o.config, logLevel: o.logLevel, logFormat: o.logFormat };
}
