import { ConfigError } from '../errors.js';
import type { ConfigKey } from './keys/index.js';
import { maskUrlsIn } from './url-secrets.js';

/** Where a setting came from; error messages name it so the user knows what to edit. */
export type Origin =
  | { kind: 'file'; file: string; path: string }
  | { kind: 'env'; name: string }
  | { kind: 'flag'; flag: string };

export interface Setting {
  readonly value: unknown;
  readonly origin: Origin;
}

/** The settings one source (file, environment, flags) provides, by key. */
export type Layer = Map<ConfigKey, Setting>;

export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'file':
      return `in ${origin.file}`;
    case 'env':
      return `from ${origin.name}`;
    case 'flag':
      return `from ${origin.flag}`;
  }
}

/** The key as the user wrote it (an alias stays an alias), for messages. */
export function labelOf(key: ConfigKey, origin: Origin | undefined): string {
  return origin?.kind === 'file' ? origin.path : key.key;
}

/** A value as messages show it: secrets masked, long text cut. */
export function showValue(value: unknown, secret: boolean): string {
  if (secret) return '"***"';
  if (value instanceof Date) return value.toISOString();
  // A URL-valued key (base_url, say) is not secret itself but may carry a password in its user info.
  const text = maskUrlsIn(JSON.stringify(value) ?? String(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Errors and warnings collected while loading, so every problem is reported in one go. */
export class Issues {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  error(message: string): void {
    if (!this.errors.includes(message)) this.errors.push(message);
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** `key = value (origin): problem; allowed: ...` */
  invalid(key: ConfigKey, setting: Setting, problem: string, allowed = key.type.allowed): void {
    const label = labelOf(key, setting.origin);
    const shown = showValue(setting.value, key.secret);
    this.error(`${label} = ${shown} (${describeOrigin(setting.origin)}): ${problem}; allowed: ${allowed}`);
  }

  throwIfAny(file: string | undefined): void {
    if (this.errors.length === 0) return;
    const where = file ? ` (configuration file ${file})` : ' (no configuration file)';
    const head =
      this.errors.length === 1 ? 'invalid configuration' : `${this.errors.length} configuration errors`;
    throw new ConfigError(`${head}${where}:\n${this.errors.map((e) => `  - ${e}`).join('\n')}`);
  }
}

/**
 * Records a setting; two spellings of one key in the same source (vendor and vendor_type, two placements of
 * database_target) must agree, since neither can be said to win.
 */
export function putSetting(layer: Layer, key: ConfigKey, setting: Setting, issues: Issues): void {
  const previous = layer.get(key);
  if (
    previous &&
    JSON.stringify(normalised(key, previous.value)) !== JSON.stringify(normalised(key, setting.value))
  ) {
    const a = `${labelOf(key, previous.origin)} = ${showValue(previous.value, key.secret)} (${describeOrigin(previous.origin)})`;
    const b = `${labelOf(key, setting.origin)} = ${showValue(setting.value, key.secret)} (${describeOrigin(setting.origin)})`;
    issues.error(`${a} and ${b} set the same key ${key.key} differently; allowed: keep one of them`);
    return;
  }
  layer.set(key, setting);
}

function normalised(key: ConfigKey, value: unknown): unknown {
  const candidate = typeof value === 'string' ? key.type.fromText(value) : value;
  const parsed = key.type.schema.safeParse(candidate);
  return parsed.success ? parsed.data : value;
}
