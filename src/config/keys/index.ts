import { COSMOSDB_KEYS } from './cosmosdb.js';
import type { ConfigKey } from './define.js';
import { EXPORT_KEYS } from './export.js';
import { GENERAL_KEYS } from './general.js';
import { OPENEHR_KEYS } from './openehr.js';
import { PRIVACY_KEYS } from './privacy.js';
import { QUERY_KEYS } from './query.js';
import { STORAGE_KEYS } from './storage.js';
import { SYNC_KEYS } from './sync.js';

export type { ConfigKey } from './define.js';
export { envNameFor } from './define.js';

/** Every key by a stable name, for typed reads while resolving. */
export const K = {
  ...GENERAL_KEYS,
  ...OPENEHR_KEYS,
  ...QUERY_KEYS,
  ...EXPORT_KEYS,
  ...STORAGE_KEYS,
  ...COSMOSDB_KEYS,
  ...PRIVACY_KEYS,
  ...SYNC_KEYS,
} as const;

/** TOML tables in the order the docs and `atlas init --with-examples` present them ('' = top level). */
export const SECTIONS = [
  '',
  'application',
  'openehr',
  'openehr.retry',
  'openehr.query',
  'export',
  'postgresql',
  'embedded',
  'cosmosdb',
  'state',
  'verification',
  'logging',
  'anonymization',
  'anonymization.audit',
  'views',
  'sync',
] as const;

export function sectionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

export function leafOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** Every accepted key, in documentation order. */
export const CONFIG_KEYS: readonly ConfigKey[] = SECTIONS.flatMap((s) =>
  (Object.values(K) as ConfigKey[]).filter((k) => sectionOf(k.key) === s),
);

/** TOML path (canonical or alias) → key. */
export const KEY_BY_PATH: ReadonlyMap<string, ConfigKey> = new Map(
  CONFIG_KEYS.flatMap((k) => [k.key, ...k.aliases].map((p) => [p, k] as const)),
);

/** Environment variable → key. */
export const KEY_BY_ENV: ReadonlyMap<string, ConfigKey> = new Map(
  CONFIG_KEYS.flatMap((k) => k.env.map((e) => [e, k] as const)),
);
