import { type Issues, type Layer, putSetting } from './issues.js';
import { CONFIG_KEYS, KEY_BY_PATH, SECTIONS } from './keys/index.js';
import { rejectionForPath } from './rejected.js';
import { closestMatch } from './suggest.js';

const TABLES = new Set<string>(SECTIONS.filter((s) => s !== ''));
const CANDIDATES = [...CONFIG_KEYS.map((k) => k.key), ...TABLES];

/** Keys accepted outside their home for compatibility; using them there is worth a nudge. */
const RELOCATED: Record<string, string> = {
  'export.database_target': 'database_target',
  'application.database_target': 'database_target',
  'application.environment': 'environment',
};

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The settings a parsed TOML file provides. Unknown keys are errors naming the closest valid key; keys of
 * the original that Atlas does not implement are errors saying so.
 */
export function fileLayer(tree: Record<string, unknown>, file: string, issues: Issues): Layer {
  const layer: Layer = new Map();
  const walk = (table: Record<string, unknown>, prefix: string): void => {
    for (const [name, value] of Object.entries(table)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const rejection = rejectionForPath(path, value);
      if (rejection === null) continue;
      if (rejection !== undefined) {
        issues.error(`${path} (in ${file}): ${rejection}`);
        continue;
      }
      const key = KEY_BY_PATH.get(path);
      if (key) {
        putSetting(layer, key, { value, origin: { kind: 'file', file, path } }, issues);
        const home = RELOCATED[path];
        if (home) {
          issues.warn(
            `${path} (in ${file}) is read as the top-level key ${home}, for compatibility with the original's ` +
              `examples; move it above the first [table]`,
          );
        }
        continue;
      }
      if (TABLES.has(path)) {
        if (isTable(value)) walk(value, path);
        else issues.error(`${path} (in ${file}): must be a table; allowed: a [${path}] section`);
        continue;
      }
      issues.error(`${path} (in ${file}): unknown key; did you mean ${closestMatch(path, CANDIDATES, '.')}?`);
    }
  };
  walk(tree, '');
  return layer;
}
