import { type Issues, type Layer, putSetting } from './issues.js';
import { type ConfigKey, K } from './keys/index.js';

/**
 * Command-line overrides that commands pass to loadConfig; they win over file and environment. Values are
 * the raw option values from commander (strings are parsed like environment variables); a boolean flag
 * only ever switches something on.
 */
export interface ConfigFlags {
  logLevel?: string;
  logFormat?: string;
  mode?: string;
  /** `--template-id`, repeatable and/or comma-separated. */
  templateIds?: string | string[];
  /** `--ehr-id`, repeatable and/or comma-separated. */
  ehrIds?: string | string[];
  since?: string;
  until?: string;
  dryRun?: boolean;
  yes?: boolean;
  /** `--format preserve|flatten`. */
  format?: string;
  batchSize?: string | number;
  parallel?: string | number;
  /** `--fetch composition|aql`. */
  fetch?: string;
  overlapSeconds?: string | number;
  lock?: string;
  deletions?: string;
  anonymize?: boolean;
  anonymizeMode?: string;
  /** Dry run of anonymization: turns anonymization on and writes nothing (not even un-anonymised rows). */
  anonymizeDryRun?: boolean;
  verify?: boolean;
  verifySample?: string | number;
  views?: boolean;
  /** `atlas sync --every`: already converted from a duration (`30s`, `5m`) to seconds. */
  every?: string | number;
  /** `atlas sync --listen host:port`. */
  listen?: string;
}

type Mapping = readonly [keyof ConfigFlags, string, ConfigKey];

const VALUE_FLAGS: readonly Mapping[] = [
  ['logLevel', '--log-level', K.logLevel],
  ['logFormat', '--log-format', K.logFormat],
  ['mode', '--mode', K.mode],
  ['templateIds', '--template-id', K.templateIds],
  ['ehrIds', '--ehr-id', K.ehrIds],
  ['since', '--since', K.timeRangeStart],
  ['until', '--until', K.timeRangeEnd],
  ['format', '--format', K.compositionFormat],
  ['batchSize', '--batch-size', K.batchSize],
  ['parallel', '--parallel', K.parallelEhrs],
  ['fetch', '--fetch', K.fetch],
  ['overlapSeconds', '--overlap-seconds', K.overlapSeconds],
  ['lock', '--lock', K.lock],
  ['deletions', '--deletions', K.deletions],
  ['anonymizeMode', '--anonymize-mode', K.anonymizationMode],
  ['verifySample', '--verify-sample', K.verificationSample],
  ['every', '--every', K.syncIntervalSeconds],
  ['listen', '--listen', K.syncListen],
];

const SWITCHES: readonly (readonly [keyof ConfigFlags, string, readonly ConfigKey[]])[] = [
  ['dryRun', '--dry-run', [K.dryRun]],
  ['yes', '--yes', [K.assumeYes]],
  ['anonymize', '--anonymize', [K.anonymizationEnabled]],
  ['anonymizeDryRun', '--anonymize-dry-run', [K.anonymizationEnabled, K.anonymizationDryRun, K.dryRun]],
  ['verify', '--verify', [K.enableVerification]],
  ['views', '--views', [K.viewsEnabled]],
];

/** Which flag sets which keys, for docs/configuration.md. */
export const FLAG_OVERRIDES: readonly { flag: string; keys: readonly string[]; value: string }[] = [
  ...VALUE_FLAGS.map(([, flag, key]) => ({ flag, keys: [key.key], value: 'its value' })),
  ...SWITCHES.map(([, flag, keys]) => ({ flag, keys: keys.map((k) => k.key), value: 'true' })),
];

/** Repeated and comma-separated list options become one list. */
function listValue(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function flagsLayer(flags: ConfigFlags, issues: Issues): Layer {
  const layer: Layer = new Map();
  for (const [name, flag, key] of VALUE_FLAGS) {
    const value = flags[name];
    if (value === undefined || typeof value === 'boolean') continue;
    const v = key.type.name.endsWith('list') ? listValue(value as string | string[]) : String(value);
    putSetting(layer, key, { value: v, origin: { kind: 'flag', flag } }, issues);
  }
  for (const [name, flag, keys] of SWITCHES) {
    if (flags[name] !== true) continue;
    for (const key of keys) layer.set(key, { value: true, origin: { kind: 'flag', flag } });
  }
  return layer;
}
