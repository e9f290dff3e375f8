import type { AtlasConfig } from './types.js';

export const MASK = '***';

/** `postgresql://user:secret@host/db?password=x` → `postgresql://user:***@host/db?password=***`. */
export function maskConnectionString(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/i, `$1:${MASK}@`)
    .replace(/([?&](?:password|sslpassword)=)[^&#]*/gi, `$1${MASK}`);
}

const mask = (v: string | undefined): string | undefined => (v === undefined ? undefined : MASK);

/** A copy of the configuration that is safe to print or log: every secret replaced by `***`. */
export function redactConfig(config: AtlasConfig): AtlasConfig {
  const copy = structuredClone(config);
  copy.openehr.password = mask(copy.openehr.password);
  copy.openehr.bearerToken = mask(copy.openehr.bearerToken);
  copy.openehr.clientSecret = mask(copy.openehr.clientSecret);
  copy.anonymization.key = mask(copy.anonymization.key);
  if (copy.cosmosdb) copy.cosmosdb.key = mask(copy.cosmosdb.key) ?? '';
  if (copy.postgresql)
    copy.postgresql.connectionString = maskConnectionString(copy.postgresql.connectionString);
  return copy;
}
