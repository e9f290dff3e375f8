import type { AtlasConfig } from '../types.js';
import type { ValueType } from '../value-types.js';

/**
 * One configuration key: its TOML path, the variables that set it, its type, default and meaning. The list
 * of these (CONFIG_KEYS) drives loading, validation, `atlas init --with-examples`, docs/configuration.md and
 * the tests that prove every key has an effect (`read` must change when the key changes).
 */
export interface ConfigKey<T = unknown> {
  /** Canonical TOML path, e.g. `openehr.query.batch_size`. */
  readonly key: string;
  /** Other TOML paths accepted for compatibility with the original's examples. */
  readonly aliases: readonly string[];
  /** Environment variables, first one is the documented name. */
  readonly env: readonly string[];
  /** true: when several of `env` are set, the last one listed wins; false: they must agree. */
  readonly envOrdered: boolean;
  readonly type: ValueType<T>;
  readonly default: T | undefined;
  /** The default as the docs show it (also for computed defaults). */
  readonly defaultText: string;
  readonly description: string;
  /** Masked as *** wherever a value is shown. */
  readonly secret: boolean;
  /** A valid non-default value, with the other keys it needs to be meaningful (tests, docs). */
  readonly example: T;
  readonly exampleRequires: Readonly<Record<string, unknown>>;
  /** Where the key lands in the resolved configuration. */
  readonly read: (config: AtlasConfig) => unknown;
  /** What `read` returns after loading `example` (when normalisation changes it). */
  readonly exampleResolved?: unknown;
}

export interface KeySpec<T> {
  key: string;
  type: ValueType<T>;
  default?: NoInfer<T>;
  defaultText?: string;
  description: string;
  aliases?: string[];
  /** Replaces the derived variable name list (ATLAS_ + path in upper case). */
  env?: string[];
  envOrdered?: boolean;
  secret?: boolean;
  example: NoInfer<T>;
  exampleRequires?: Record<string, unknown>;
  read: (config: AtlasConfig) => unknown;
  exampleResolved?: unknown;
}

/** `openehr.query.batch_size` → `ATLAS_OPENEHR_QUERY_BATCH_SIZE`. */
export function envNameFor(key: string): string {
  return `ATLAS_${key.replace(/\./g, '_').toUpperCase()}`;
}

export function defineKey<T>(spec: KeySpec<T>): ConfigKey<T> {
  const defaultText =
    spec.defaultText ?? (spec.default === undefined ? '(none)' : spec.type.toToml(spec.default));
  return {
    key: spec.key,
    aliases: spec.aliases ?? [],
    env: spec.env ?? [envNameFor(spec.key)],
    envOrdered: spec.envOrdered ?? false,
    type: spec.type,
    default: spec.default,
    defaultText,
    description: spec.description,
    secret: spec.secret ?? false,
    example: spec.example,
    exampleRequires: spec.exampleRequires ?? {},
    read: spec.read,
    exampleResolved: spec.exampleResolved,
  };
}
