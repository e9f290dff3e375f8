import { ehrbaseStatusUrl } from '../http/urls.js';
import type { Vendor } from './types.js';

/**
 * EHRbase 2.x: FLAT only via `Accept: application/json` + `?format=FLAT` (its controllers do not accept the
 * spec's `application/openehr.wt.flat+json`); `GET …/rest/status` names the version.
 */
export const ehrbase: Vendor = {
  name: 'ehrbase',
  flat: { query: { format: 'FLAT' }, accept: 'application/json' },
  canonical: { query: { format: 'JSON' }, accept: 'application/json' },
  statusUrl: ehrbaseStatusUrl,
  serverVersion(status) {
    const v = (status as { ehrbase_version?: unknown } | null)?.ehrbase_version;
    return typeof v === 'string' ? `EHRbase ${v}` : undefined;
  },
};
