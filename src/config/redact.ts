import type { AtlasConfig } from './types.js';
import { maskUrlCredentials, URL_MASK } from './url-secrets.js';

export const MASK = URL_MASK;

/**
 * `postgresql://user:secret@host/db?password=x` → `postgresql://user:***@host/db?password=***`, also when
 * the password holds unencoded `/ # ? @` (see maskUrlCredentials).
 */
export function maskConnectionString(url: string): string {
  return maskUrlCredentials(url);
}

const mask = (v: string | undefined): string | undefined => (v === undefined ? undefined : MASK);

/** A copy of the configuration that is safe to print or log: every secret replaced by `***`. */
export function redactConfig(config: AtlasConfig): AtlasConfig {
  const copy = structuredClone(config);
  copy.openehr.password = mask(copy.openehr.password);
  copy.openehr.bearerToken = mask(copy.openehr.bearerToken);
  copy.openehr.clientSecret = mask(copy.openehr.clientSecret);
  copy.anonymization.key = mask(copy.anonymization.key);
  // A base URL may carry `user:password@` (some deployments put basic-auth credentials there).
  copy.openehr.baseUrl = maskUrlCredentials(copy.openehr.baseUrl);
  if (copy.postgresql)
    copy.postgresql.connectionString = maskConnectionString(copy.postgresql.connectionString);
  return copy;
}
