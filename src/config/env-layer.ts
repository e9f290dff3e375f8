import { type Issues, type Layer, putSetting, showValue } from './issues.js';
import { CONFIG_KEYS, envNameFor, KEY_BY_ENV, SECTIONS } from './keys/index.js';
import { rejectionForEnv } from './rejected.js';
import { closestMatch } from './suggest.js';

/** ATLAS_<SECTION>_ prefixes: a variable with one of them must be a known one (typos are errors). */
const OWNED_PREFIXES = [
  ...new Set(SECTIONS.filter((s) => s !== '').map((s) => `${envNameFor(s.split('.')[0]!)}_`)),
];
const ENV_NAMES = [...KEY_BY_ENV.keys()];

/**
 * The settings the ATLAS_* variables provide. Unlike the original they apply whether or not the file has
 * the section, an unparseable value is an error naming the variable (never silently kept), and an empty
 * variable counts as unset (lists: an empty variable means an empty list).
 */
export function envLayer(env: NodeJS.ProcessEnv, issues: Issues): Layer {
  const layer: Layer = new Map();
  for (const key of CONFIG_KEYS) {
    const isList = key.type.name.endsWith('list');
    const present = key.env
      .map((name) => [name, env[name]] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined && (e[1] !== '' || isList));
    if (present.length === 0) continue;
    const chosen = key.envOrdered ? present.slice(-1) : present;
    for (const [name, value] of chosen) {
      putSetting(layer, key, { value, origin: { kind: 'env', name } }, issues);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || KEY_BY_ENV.has(name) || !OWNED_PREFIXES.some((p) => name.startsWith(p)))
      continue;
    const rejection = rejectionForEnv(name, value);
    if (rejection === null) continue;
    if (rejection !== undefined) {
      issues.error(`${name} = ${showValue(value, true)}: ${rejection}`);
      continue;
    }
    issues.error(`${name}: unknown Atlas variable; did you mean ${closestMatch(name, ENV_NAMES, '_')}?`);
  }
  return layer;
}
