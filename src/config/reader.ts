import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeOrigin, type Issues, type Layer, labelOf, type Setting, showValue } from './issues.js';
import type { ConfigKey } from './keys/index.js';
import { rejectionForValue } from './rejected.js';

/**
 * Validated reads of the merged settings. An invalid value is recorded as an error and the default is
 * returned, so loading goes on and every problem is reported at once.
 */
export class SettingsReader {
  private readonly cache = new Map<ConfigKey, unknown>();

  constructor(
    private readonly merged: Layer,
    private readonly issues: Issues,
    private readonly cwd: string,
  ) {}

  setting(key: ConfigKey): Setting | undefined {
    return this.merged.get(key);
  }

  isSet(key: ConfigKey): boolean {
    return this.merged.has(key);
  }

  /** The validated value, else the default (undefined when there is none). */
  get<T>(key: ConfigKey<T>): T | undefined {
    if (this.cache.has(key)) return this.cache.get(key) as T | undefined;
    const value = this.validate(key);
    this.cache.set(key, value);
    return value;
  }

  /** For keys with a default. */
  must<T>(key: ConfigKey<T>): T {
    const value = this.get(key);
    if (value === undefined) throw new Error(`internal: configuration key ${key.key} has no default`);
    return value;
  }

  private validate<T>(key: ConfigKey<T>): T | undefined {
    const setting = this.merged.get(key);
    if (!setting) return this.pathed(key, key.default, undefined);
    const rejected = rejectionForValue(key.key, setting.value);
    if (rejected) {
      const shown = showValue(setting.value, key.secret);
      this.issues.error(
        `${labelOf(key, setting.origin)} = ${shown} (${describeOrigin(setting.origin)}): ${rejected}`,
      );
      return key.default;
    }
    const candidate = typeof setting.value === 'string' ? key.type.fromText(setting.value) : setting.value;
    const parsed = key.type.schema.safeParse(candidate);
    if (!parsed.success) {
      // A type's own check (a custom issue) says what is wrong; zod's generic messages would only repeat `allowed`.
      const custom = parsed.error.issues.find((i) => i.code === 'custom')?.message;
      this.issues.invalid(key, setting, custom ?? 'invalid value');
      return key.default;
    }
    return this.pathed(key, parsed.data, setting);
  }

  /** Paths are made absolute from the working directory; files that must exist are checked. */
  private pathed<T>(key: ConfigKey<T>, value: T | undefined, setting: Setting | undefined): T | undefined {
    if (!key.type.path || typeof value !== 'string') return value;
    const absolute = resolve(this.cwd, value);
    if (key.type.path === 'existing-file' && setting && !readableFile(absolute)) {
      this.issues.invalid(key, setting, `file not found or not readable (${absolute})`);
    }
    return absolute as T;
  }
}

function readableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
