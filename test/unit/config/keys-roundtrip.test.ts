import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, type ConfigKey, loadConfig } from '../../../src/config/index.js';
import { KEY_BY_PATH } from '../../../src/config/keys/index.js';
import { workdir } from './helpers.js';

const BASE = { 'openehr.base_url': 'http://127.0.0.1:8080' };

function keyAt(path: string): ConfigKey {
  const key = KEY_BY_PATH.get(path);
  if (!key) throw new Error(`no key ${path}`);
  return key;
}

/** path → value as a TOML document, written with each key's own toToml. */
function toToml(values: Record<string, unknown>): string {
  const tables = new Map<string, string[]>();
  for (const [path, value] of Object.entries(values)) {
    const dot = path.lastIndexOf('.');
    const table = dot < 0 ? '' : path.slice(0, dot);
    const line = `${path.slice(dot + 1)} = ${keyAt(path).type.toToml(value)}`;
    tables.set(table, [...(tables.get(table) ?? []), line]);
  }
  const top = tables.get('') ?? [];
  tables.delete('');
  return [...top, ...[...tables].map(([t, lines]) => `[${t}]\n${lines.join('\n')}`)].join('\n') + '\n';
}

function toEnv(values: Record<string, unknown>, names: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([path, value]) => [
      names[path] ?? keyAt(path).env[0]!,
      keyAt(path).type.toText(value),
    ]),
  );
}

async function read(
  key: ConfigKey,
  toml: string,
  env: Record<string, string>,
): Promise<{ value: unknown; cwd: string }> {
  const cwd = workdir({ 'atlas.toml': toml, 'package.json': '{}' });
  const { config } = await loadConfig({ cwd, env, stderrIsTty: false });
  return { value: key.read(config), cwd };
}

/** The key's value without it; a configuration that no longer loads also shows the key matters. */
async function readWithout(key: ConfigKey, toml: string, env: Record<string, string>): Promise<unknown> {
  try {
    return (await read(key, toml, env)).value;
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode !== 2) throw err;
    return Symbol('does not load');
  }
}

function context(key: ConfigKey): Record<string, unknown> {
  const values: Record<string, unknown> = { ...BASE, ...key.exampleRequires };
  delete values[key.key];
  return values;
}

function expected(key: ConfigKey, cwd: string): unknown {
  if (key.exampleResolved !== undefined) return key.exampleResolved;
  return key.type.path ? resolve(cwd, key.example as string) : key.example;
}

const spellings = CONFIG_KEYS.flatMap((k) => [k.key, ...k.aliases].map((p) => [p, k] as const));
const variables = CONFIG_KEYS.flatMap((k) => k.env.map((e) => [e, k] as const));

describe('every key of CONFIG_KEYS has an effect and round-trips', () => {
  it.each(spellings)('TOML %s', async (path, key) => {
    const without = await readWithout(key, toToml(context(key)), {});
    const withKey = await read(key, toToml({ ...context(key), [path]: key.example }), {});
    expect(withKey.value).toEqual(expected(key, withKey.cwd));
    expect(without).not.toEqual(withKey.value);
  });

  it.each(variables)('variable %s', async (name, key) => {
    const env = toEnv(context(key));
    const without = await readWithout(key, '', env);
    const withKey = await read(key, '', {
      ...env,
      ...toEnv({ [key.key]: key.example }, { [key.key]: name }),
    });
    expect(withKey.value).toEqual(expected(key, withKey.cwd));
    expect(without).not.toEqual(withKey.value);
  });

  it('has a description, a default text and at least one variable for every key', () => {
    for (const key of CONFIG_KEYS) {
      expect(key.description.length, key.key).toBeGreaterThan(10);
      expect(key.defaultText, key.key).not.toBe('');
      expect(key.env[0], key.key).toMatch(/^ATLAS_[A-Z0-9_]+$/);
    }
  });
});
