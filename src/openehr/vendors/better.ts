import type { Vendor } from './types.js';

/**
 * Better Platform: FLAT via the spec media type `application/openehr.wt.flat+json` (without it Better
 * answers XML); no `format` parameter. There is no public status endpoint, so ping runs a trivial AQL.
 * Its base URL is typically `https://<host>/ehr/rest/openehr/v1` and its tokens come from Keycloak; both
 * are configuration, not code (docs/vendors.md).
 */
export const better: Vendor = {
  name: 'better',
  flat: { accept: 'application/openehr.wt.flat+json' },
  canonical: { accept: 'application/json' },
  statusUrl: () => undefined,
  serverVersion: () => undefined,
};
