import type { SyncListener, SyncLoop } from '../app/sync.js';
import type { AppContext } from '../context.js';
import type { RunObserver } from '../observer.js';
import { startServiceServer } from './http-server.js';
import { SyncMetrics } from './metrics.js';
import { checkReadiness } from './readiness.js';

export interface SyncService {
  loop: SyncLoop;
  url: string;
  close(): Promise<void>;
}

/**
 * Wires the sync loop to its metrics and HTTP endpoints: the loop reports cycles and cursors to the
 * metrics, the export's observer feeds request, retry and write metrics, /readyz asks the loop how many
 * cycles failed in a row. The server is listening before the first cycle starts, so /healthz answers while
 * a long first export runs.
 */
export async function startSyncService(
  ctx: AppContext,
  listen: { host: string; port: number },
  makeLoop: (observer: RunObserver, listener: SyncListener) => SyncLoop,
): Promise<SyncService> {
  const metrics = new SyncMetrics();
  let embedded: { ok: boolean; error?: string } = { ok: true };
  const listener: SyncListener = {
    cycleFinished: (result, seconds, failures, summary) =>
      metrics.cycleFinished(result, seconds, failures, summary),
    cursorsRead: (cursors) => metrics.cursorsRead(cursors),
    databaseReached: (ok, error) => {
      embedded = error === undefined ? { ok } : { ok, error };
    },
  };
  const loop = makeLoop(metrics.observer, listener);
  const server = await startServiceServer(listen, {
    metrics: async () => ({
      contentType: metrics.registry.contentType,
      body: await metrics.registry.metrics(),
    }),
    readiness: () =>
      checkReadiness(
        { config: loop.currentConfig, logger: ctx.logger, signal: ctx.signal },
        { consecutiveFailures: loop.failuresInARow, embeddedReachable: () => embedded },
      ),
  });
  ctx.logger.info({ url: server.url }, 'sync endpoints listening');
  return { loop, url: server.url, close: () => server.close() };
}
