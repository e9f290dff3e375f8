import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { ConfigError } from '../errors.js';
import { envLayer } from './env-layer.js';
import { fileLayer } from './file-layer.js';
import { type ConfigFlags, flagsLayer } from './flags.js';
import { Issues, type Layer } from './issues.js';
import { resolveConfig } from './resolve.js';
import { readTomlFile } from './toml-source.js';
import type { AtlasConfig } from './types.js';

export interface LoadConfigInput {
  /** `-c/--config`; otherwise ATLAS_CONFIG, otherwise `atlas.toml` (which may be absent). */
  configPath?: string;
  /** Defaults to process.env; never modified (the .env values are merged into a copy). */
  env?: NodeJS.ProcessEnv;
  /** Where `.env`, `atlas.toml` and relative paths are looked up; defaults to process.cwd(). */
  cwd?: string;
  flags?: ConfigFlags;
  /** Chooses the default log format; defaults to process.stderr.isTTY. */
  stderrIsTty?: boolean;
  /** False for commands that never call the openEHR server (migrate): base_url is then optional. */
  needsOpenEhr?: boolean;
}

export interface LoadedConfig {
  config: AtlasConfig;
  warnings: string[];
  source: { file?: string };
}

export const DEFAULT_CONFIG_FILE = 'atlas.toml';

/**
 * Loads the configuration: defaults < TOML file (after ${VAR} substitution) < ATLAS_* variables <
 * command-line flags. `.env` in the working directory is read first and never overrides a variable that is
 * already set. Every problem is collected and reported in one ConfigError (exit 2).
 */
export async function loadConfig(input: LoadConfigInput = {}): Promise<LoadedConfig> {
  const cwd = input.cwd ?? process.cwd();
  const env: NodeJS.ProcessEnv = { ...(input.env ?? process.env) };
  loadDotenv({
    path: join(cwd, '.env'),
    processEnv: env as Record<string, string>,
    quiet: true,
    override: false,
  });
  const issues = new Issues();

  const named = input.configPath ?? (env.ATLAS_CONFIG ? env.ATLAS_CONFIG : undefined);
  let file: string | undefined = resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (named !== undefined) {
      const by = input.configPath !== undefined ? '-c/--config' : 'ATLAS_CONFIG';
      throw new ConfigError(
        `configuration file not found: ${file} (named by ${by}); create one with \`atlas init\``,
      );
    }
    // 12-factor: without a default file everything may come from the environment.
    file = undefined;
  }

  const layers: Layer[] = [];
  if (file) layers.push(fileLayer(await readTomlFile(file, env, issues), file, issues));
  layers.push(envLayer(env, issues));
  layers.push(flagsLayer(input.flags ?? {}, issues));
  const merged: Layer = new Map();
  for (const layer of layers) for (const [key, setting] of layer) merged.set(key, setting);

  const config = resolveConfig(merged, {
    cwd,
    issues,
    stderrIsTty: input.stderrIsTty ?? process.stderr.isTTY === true,
    needsOpenEhr: input.needsOpenEhr ?? true,
  });
  if (!file && issues.errors.length > 0) {
    issues.error(
      `no configuration file: ${resolve(cwd, DEFAULT_CONFIG_FILE)} does not exist (create one with \`atlas init\`, ` +
        'name one with -c/--config or ATLAS_CONFIG, or set ATLAS_* variables)',
    );
  }
  issues.throwIfAny(file);
  return { config, warnings: issues.warnings, source: file ? { file } : {} };
}
