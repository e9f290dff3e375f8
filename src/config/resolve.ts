import type { Issues, Layer } from './issues.js';
import { anonymizationKeyProblem, MIN_DISTINCT_CHARACTERS, MIN_KEY_LENGTH } from './key-strength.js';
import { K } from './keys/index.js';
import { SettingsReader } from './reader.js';
import { resolveOpenEhr } from './resolve-openehr.js';
import { resolveStorage } from './resolve-storage.js';
import { Rules } from './rules.js';
import type { AnonymizationConfig, AtlasConfig } from './types.js';

export interface ResolveContext {
  readonly cwd: string;
  readonly issues: Issues;
  /** Decides the default log format (pretty on a terminal). */
  readonly stderrIsTty: boolean;
  /** False for commands that never call the openEHR server (migrate): base_url is then optional. */
  readonly needsOpenEhr?: boolean;
}

/** Merged settings → the validated configuration every module receives. */
export function resolveConfig(merged: Layer, ctx: ResolveContext): AtlasConfig {
  const r = new SettingsReader(merged, ctx.issues, ctx.cwd);
  // Validate every given key up front, so errors come out in a stable order even for keys read late.
  for (const key of merged.keys()) r.get(key);
  const rules = new Rules(r, ctx.issues);
  const environment = r.must(K.environment);
  const anonymization = resolveAnonymization(rules);
  const localEnabled = r.must(K.localEnabled);
  const localRotation = r.must(K.localRotation);
  if (!localEnabled) {
    for (const key of [K.localPath, K.localRotation, K.localMaxSizeMb]) {
      rules.ineffective(key, 'logging.local_enabled is false');
    }
  } else if (localRotation === 'daily') {
    rules.ineffective(K.localMaxSizeMb, 'logging.local_rotation = "daily"');
  }
  if (!r.must(K.viewsEnabled)) rules.ineffective(K.viewsMaterialized, 'views.enabled is false');

  return {
    environment,
    ...resolveStorage(rules),
    application: {
      logLevel: r.must(K.logLevel),
      logFormat: r.get(K.logFormat) ?? (ctx.stderrIsTty ? 'pretty' : 'json'),
    },
    openehr: resolveOpenEhr(rules, environment, ctx.needsOpenEhr ?? true),
    export: {
      mode: r.must(K.mode),
      compositionFormat: r.must(K.compositionFormat),
      maxRetries: r.must(K.maxRetries),
      retryBackoffMs: r.must(K.retryBackoffMs),
      shutdownTimeoutSecs: r.must(K.shutdownTimeoutSecs),
      // An anonymization dry run never writes: writing would store the data before anyone checked the report.
      dryRun: r.must(K.dryRun) || (anonymization.enabled && anonymization.dryRun),
      overlapSeconds: r.must(K.overlapSeconds),
      deletions: r.must(K.deletions),
      assumeYes: r.must(K.assumeYes),
      lockMode: r.must(K.lock),
    },
    state: {
      enableCheckpointing: r.must(K.enableCheckpointing),
      checkpointIntervalSeconds: r.must(K.checkpointIntervalSeconds),
    },
    verification: { enableVerification: r.must(K.enableVerification), sample: r.get(K.verificationSample) },
    logging: {
      localEnabled,
      localPath: r.must(K.localPath),
      localRotation,
      localMaxSizeMb: r.must(K.localMaxSizeMb),
    },
    anonymization,
    views: {
      enabled: r.must(K.viewsEnabled),
      schema: r.must(K.viewsSchema),
      materialized: r.must(K.viewsMaterialized),
    },
  };
}

function resolveAnonymization(rules: Rules): AnonymizationConfig {
  const { r } = rules;
  const enabled = r.must(K.anonymizationEnabled);
  const key = r.get(K.anonymizationKey);
  if (enabled && key === undefined && !r.isSet(K.anonymizationKey)) {
    rules.require(K.anonymizationKey, 'when anonymization is enabled (export ATLAS_ANONYMIZATION_KEY)');
  }
  // The anonymiser's own rule, checked here too so validate-config reports it with the other problems.
  const keyProblem = key === undefined ? undefined : anonymizationKeyProblem(key);
  if (keyProblem && enabled) {
    rules.conflict(
      K.anonymizationKey,
      `the key is ${keyProblem} while anonymization is enabled`,
      `a random secret of at least ${MIN_KEY_LENGTH} characters, ${MIN_DISTINCT_CHARACTERS} or more of them ` +
        'different, e.g. the output of `openssl rand -base64 32` (set anonymization.key or ATLAS_ANONYMIZATION_KEY)',
    );
  } else if (keyProblem) {
    rules.issues.warn(
      `anonymization.key is ${keyProblem}: anonymization would refuse it; use 32 or more random characters`,
    );
  }
  if (!enabled) rules.ineffective(K.anonymizationDryRun, 'anonymization.enabled is false');
  return {
    enabled,
    mode: r.must(K.anonymizationMode),
    strategy: r.must(K.anonymizationStrategy),
    dryRun: r.must(K.anonymizationDryRun),
    key,
    pseudonymizeEhrId: r.must(K.pseudonymizeEhrId),
    dateShift: r.must(K.dateShift),
    audit: {
      enabled: r.must(K.auditEnabled),
      logPath: r.must(K.auditLogPath),
      jsonFormat: r.must(K.auditJsonFormat),
    },
  };
}
