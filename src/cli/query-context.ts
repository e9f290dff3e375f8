import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { ConfigError } from '../errors.js';
import { withCliContext } from './cli-context.js';
import { globalOptions } from './run.js';
import { withStandaloneContext } from './standalone-context.js';

/**
 * The configuration requires an openEHR base URL; `atlas sql` and `atlas db serve` never contact the server,
 * so with --db (no configuration at all) this unroutable loopback address stands in for it.
 */
const UNUSED_BASE_URL = 'http://127.0.0.1:9';

/**
 * Context for commands that only query a database: with `--db <dir>` that embedded database directory and
 * nothing else (no atlas.toml needed, none read); otherwise the configured database, as every command.
 */
export async function withQueryContext(
  cmd: Command,
  db: string | undefined,
  fn: (ctx: AppContext) => Promise<number>,
): Promise<number> {
  if (db === undefined) {
    try {
      return await withCliContext(cmd, {}, fn);
    } catch (err) {
      // Only when no file was found: the user most likely meant a database directory (the demo's).
      if (!(err instanceof ConfigError) || !err.message.includes('(no configuration file)')) throw err;
      throw new ConfigError(
        `${err.message}\n(without a configuration, name an embedded database directory: --db <dir>, e.g. --db .atlas/demo)`,
        { cause: err },
      );
    }
  }
  const dir = resolve(db);
  const global = globalOptions(cmd);
  return withStandaloneContext(
    {
      vars: {
        ATLAS_DATABASE_TARGET: 'embedded',
        ATLAS_EMBEDDED_PATH: dir,
        ATLAS_OPENEHR_BASE_URL: UNUSED_BASE_URL,
      },
      cwd: dir,
      logLevel: global.logLevel,
      logFormat: global.logFormat,
      defaultLogLevel: 'warn',
    },
    fn,
  );
}
