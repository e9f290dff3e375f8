import { envNameFor } from './keys/index.js';

/**
 * Keys of the original Atlas that this Atlas refuses with a reason instead of ignoring them: every key that
 * loads has an effect, so a key that would do nothing must say so (the original validated many keys it
 * never used). `prefix` rules match a whole table or a key family.
 */
interface RejectedRule {
  readonly path: string;
  readonly prefix: boolean;
  readonly reason: string;
  /** Values that are accepted silently because they ask for nothing (e.g. azure_enabled = false). */
  readonly harmless?: (value: unknown) => boolean;
}

const AZURE = 'Azure Log Analytics is not supported by Atlas (TypeScript); remove';

export const REJECTED_KEYS: readonly RejectedRule[] = [
  {
    path: 'logging.azure_enabled',
    prefix: false,
    reason: `${AZURE} logging.azure_enabled (false is accepted so files of the original still load)`,
    harmless: (v) => v === false || (typeof v === 'string' && ['false', '0', 'no'].includes(v.toLowerCase())),
  },
  { path: 'logging.azure_', prefix: true, reason: AZURE },
  { path: 'application.name', prefix: false, reason: 'was removed in the original Atlas 2.2.0; remove it' },
  {
    path: 'application.version',
    prefix: false,
    reason: 'was removed in the original Atlas 2.2.0; remove it',
  },
  {
    path: 'verification.checksum_algorithm',
    prefix: false,
    reason: 'was removed; checksums are always SHA-256; remove it',
  },
  {
    path: 'anonymization.pattern_library',
    prefix: false,
    reason: 'is not supported: Atlas uses built-in structure-aware detectors; remove it',
  },
];

function matches(rule: RejectedRule, path: string): boolean {
  if (!rule.prefix) return path === rule.path;
  return path === rule.path || path.startsWith(rule.path.endsWith('_') ? rule.path : `${rule.path}.`);
}

function reasonText(rule: RejectedRule, path: string): string {
  return rule.reason === AZURE ? `${AZURE} ${path}` : rule.reason;
}

/** The reason a TOML key is refused, `null` when harmless, `undefined` when it is not a rejected key. */
export function rejectionForPath(path: string, value: unknown): string | null | undefined {
  const rule = REJECTED_KEYS.find((r) => matches(r, path));
  if (!rule) return undefined;
  if (rule.harmless?.(value)) return null;
  return reasonText(rule, path);
}

/** The same for a variable: ATLAS_LOGGING_AZURE_TENANT_ID, ... */
export function rejectionForEnv(name: string, value: string): string | null | undefined {
  const rule = REJECTED_KEYS.find((r) => {
    const envName = envNameFor(r.path);
    return r.prefix ? name.startsWith(envName.endsWith('_') ? envName : `${envName}_`) : name === envName;
  });
  if (!rule) return undefined;
  if (rule.harmless?.(value)) return null;
  const path = rule.prefix ? `${rule.path}…` : rule.path;
  return reasonText(rule, rule.reason === AZURE ? name : path);
}

/** Values of accepted keys that name something unsupported (none at the moment: Cosmos DB is supported). */
export function rejectionForValue(_path: string, _value: unknown): string | undefined {
  return undefined;
}
