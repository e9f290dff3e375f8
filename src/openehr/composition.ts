import { jsonBody } from './http/get-json.js';
import { statusError, type Transport } from './http/transport.js';
import { apiUrl } from './http/urls.js';
import type { FetchResult } from './types.js';
import type { Vendor } from './vendors/types.js';

export interface CompositionDeps {
  transport: Transport;
  vendor: Vendor;
  baseUrl: string;
}

const WHAT = 'composition GET';

/**
 * One composition in FLAT. 204 = the version is a deletion, 404 = unknown. EHRbase answers a FLAT GET of
 * a missing composition with 500 (ehrbase #1382), so a 500 is checked once in canonical JSON: 404 there
 * means missing, anything else stays a (retried) server error. Network failures, 5xx, 429 and cut bodies
 * are retried; other 4xx are final.
 */
export function fetchFlat(
  deps: CompositionDeps,
  ehrId: string,
  uid: string,
  signal?: AbortSignal,
): Promise<FetchResult> {
  const path = ['ehr', ehrId, 'composition', uid];
  const flatUrl = apiUrl(deps.baseUrl, path, deps.vendor.flat.query);
  return deps.transport.retrying(WHAT, signal, async (s, priority) => {
    const res = await deps.transport.exchange({
      kind: 'composition',
      method: 'GET',
      url: flatUrl,
      headers: { accept: deps.vendor.flat.accept },
      signal: s,
      priority,
    });
    if (res.status === 200) {
      const flat = jsonBody(res, WHAT);
      if (typeof flat !== 'object' || flat === null || Array.isArray(flat)) {
        throw new Error(`${WHAT}: FLAT body is not a JSON object`);
      }
      return { status: 'ok', uid, flat: flat as Record<string, unknown>, bytes: res.body.length };
    }
    if (res.status === 204) return { status: 'deleted', uid };
    if (res.status === 404) return { status: 'missing', uid };
    if (res.status === 500) {
      const probe = await deps.transport.exchange({
        kind: 'composition',
        method: 'GET',
        url: apiUrl(deps.baseUrl, path, deps.vendor.canonical.query),
        headers: { accept: deps.vendor.canonical.accept },
        signal: s,
        priority,
      });
      if (probe.status === 404) return { status: 'missing', uid };
      if (probe.status === 204) return { status: 'deleted', uid };
    }
    throw statusError(WHAT, res);
  });
}
