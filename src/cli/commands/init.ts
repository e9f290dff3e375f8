import { chmod, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { commentedConfigToml, minimalConfigToml } from '../../config/init-template.js';
import { ConfigError, coerceError } from '../../errors.js';
import { PRIVATE_FILE_MODE } from '../../util/private-files.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

interface InitOptions {
  output: string;
  withExamples?: boolean;
  force?: boolean;
}

/**
 * `atlas init`: writes a configuration that loads as it is (embedded database, the bundled simulator), or
 * with --with-examples one that documents every key. Never overwrites a file without --force.
 */
export async function runInit(
  opts: InitOptions,
  out: { write(s: string): unknown } = process.stdout,
): Promise<number> {
  const path = resolve(opts.output);
  const text = opts.withExamples ? commentedConfigToml() : minimalConfigToml();
  try {
    // The file is where users put base_url credentials and the anonymization key: private from the start
    // (and again when --force overwrites a file whose mode was looser).
    await writeFile(path, text, { flag: opts.force ? 'w' : 'wx', mode: PRIVATE_FILE_MODE });
    await chmod(path, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ConfigError(`configuration file already exists: ${path} (use --force to overwrite)`, {
        cause: err,
      });
    }
    throw new Error(`cannot write ${path}: ${coerceError(err).message}`, { cause: err });
  }
  out.write(
    [
      `Configuration written: ${path}`,
      '',
      'Next steps:',
      '  1. Start the simulator in another terminal:   npx atlas-sim --port 8080',
      `  2. Check the configuration:                   atlas validate-config -c ${opts.output}`,
      `  3. Export:                                    atlas export -c ${opts.output}`,
      'For a real server, edit [openehr] (base_url, auth_type) and keep secrets in variables such as',
      'ATLAS_OPENEHR_PASSWORD or a .env file; see docs/configuration.md.',
      '',
    ].join('\n'),
  );
  return 0;
}

export const initCommand: CommandModule = {
  register(program: Command) {
    program
      .command('init')
      .description('write a starter configuration file')
      .option('-o, --output <file>', 'file to write', 'atlas.toml')
      .option('--with-examples', 'document every key (commented), with its variable and default')
      .option('--force', 'overwrite an existing file')
      .action(action((opts: InitOptions) => runInit(opts)));
  },
};
