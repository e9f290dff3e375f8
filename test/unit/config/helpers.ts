import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigFlags, type LoadedConfig, loadConfig } from '../../../src/config/index.js';

/** The least a file needs to load: the server to export from. */
export const MINIMAL = '[openehr]\nbase_url = "http://127.0.0.1:8080/ehrbase"\n';

/** A fresh working directory holding the given files (name → content). */
export function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  flags?: ConfigFlags;
  configPath?: string;
  files?: Record<string, string>;
}

/** Loads `toml` as atlas.toml in a fresh directory, with only the given variables (never the test's own). */
export function load(toml: string | undefined, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const files = { ...(opts.files ?? {}), ...(toml === undefined ? {} : { 'atlas.toml': toml }) };
  const cwd = workdir(files);
  return loadConfig({
    cwd,
    env: opts.env ?? {},
    flags: opts.flags,
    configPath: opts.configPath,
    stderrIsTty: false,
  });
}

/** The ConfigError message of a load that must fail. */
export async function loadError(toml: string | undefined, opts: LoadOptions = {}): Promise<string> {
  try {
    await load(toml, opts);
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode !== 2) throw err;
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}
