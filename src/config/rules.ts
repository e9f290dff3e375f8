import { describeOrigin, type Issues, labelOf } from './issues.js';
import type { ConfigKey } from './keys/index.js';
import type { SettingsReader } from './reader.js';

/** Shared phrasing for rules that involve more than one key. */
export class Rules {
  constructor(
    readonly r: SettingsReader,
    readonly issues: Issues,
  ) {}

  /** `key: required <why>; allowed: ... (set it in [section] or VAR)` */
  require(key: ConfigKey, why: string): void {
    const dot = key.key.lastIndexOf('.');
    const where = dot < 0 ? 'at the top of the file' : `in [${key.key.slice(0, dot)}]`;
    this.issues.error(
      `${key.key}: required ${why}; allowed: ${key.type.allowed} (set it ${where} or with ${key.env[0]})`,
    );
  }

  /** A set key that the rest of the configuration makes pointless: say so instead of ignoring it. */
  ineffective(key: ConfigKey, because: string): void {
    const setting = this.r.setting(key);
    if (!setting) return;
    this.issues.warn(
      `${labelOf(key, setting.origin)} (${describeOrigin(setting.origin)}) has no effect: ${because}`,
    );
  }

  /** An explicitly set value that breaks a rule involving other keys. */
  conflict(key: ConfigKey, problem: string, allowed: string): void {
    const setting = this.r.setting(key);
    if (setting) this.issues.invalid(key, setting, problem, allowed);
    else this.issues.error(`${key.key} (default ${key.defaultText}): ${problem}; allowed: ${allowed}`);
  }
}
