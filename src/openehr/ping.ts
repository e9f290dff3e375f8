import { PING_QUERY } from './aql/queries.js';
import type { AqlRunner } from './aql/runner.js';
import { jsonBody } from './http/get-json.js';
import type { Transport } from './http/transport.js';
import type { Vendor } from './vendors/types.js';

export interface PingDeps {
  transport: Transport;
  runner: AqlRunner;
  vendor: Vendor;
  baseUrl: string;
}

/**
 * A cheap round trip that proves reachability and credentials: a one-row AQL query (always authenticated,
 * unlike some status endpoints), plus the vendor's status endpoint for the server version where one exists
 * (a failing status endpoint is not an error).
 */
export async function ping(deps: PingDeps, signal?: AbortSignal): Promise<{ serverVersion?: string }> {
  await deps.runner.query(PING_QUERY.q, PING_QUERY.params, { offset: 0, fetch: 1 }, signal);
  const statusUrl = deps.vendor.statusUrl(deps.baseUrl);
  if (!statusUrl) return {};
  const serverVersion = await deps.transport
    .retrying('status', signal, async (s) => {
      const res = await deps.transport.exchange({
        kind: 'other',
        method: 'GET',
        url: statusUrl,
        headers: { accept: 'application/json' },
        signal: s,
      });
      return res.status === 200 ? deps.vendor.serverVersion(jsonBody(res, 'status')) : undefined;
    })
    .catch((err: unknown) => {
      if (signal?.aborted) throw err;
      return undefined;
    });
  return serverVersion ? { serverVersion } : {};
}
