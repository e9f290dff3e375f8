import type { AppContext } from '../context.js';
import { coerceError } from '../errors.js';
import { createOpenEhrClient } from '../openehr/index.js';
import { openStore } from '../store/index.js';

export interface ReadinessReport {
  ready: boolean;
  database: { ok: boolean; error?: string };
  openehr: { ok: boolean; error?: string };
  cycles: { ok: boolean; consecutiveFailures: number; limit: number };
}

/** How long one /readyz check may take before it counts as unreachable (probes usually time out at 1-10 s). */
const PROBE_TIMEOUT_MS = 5000;

/**
 * /readyz: the database and the openEHR server answer now, and the last `ready_failed_cycles` cycles did not
 * all fail. PostgreSQL is probed with a connection of its own; the embedded database is held by the cycles
 * (one process at a time), so there the last cycle's access to it stands for reachability.
 */
export async function checkReadiness(
  ctx: AppContext,
  state: { consecutiveFailures: number; embeddedReachable: () => { ok: boolean; error?: string } },
): Promise<ReadinessReport> {
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]);
  const probeCtx: AppContext = { config: ctx.config, logger: ctx.logger, signal };
  const [database, openehr] = await Promise.all([
    ctx.config.databaseTarget === 'postgresql' ? probeDatabase(probeCtx) : state.embeddedReachable(),
    probeOpenEhr(probeCtx),
  ]);
  const limit = ctx.config.sync.readyFailedCycles;
  const cycles = {
    ok: state.consecutiveFailures < limit,
    consecutiveFailures: state.consecutiveFailures,
    limit,
  };
  return { ready: database.ok && openehr.ok && cycles.ok, database, openehr, cycles };
}

async function probeDatabase(ctx: AppContext): Promise<{ ok: boolean; error?: string }> {
  try {
    const store = await withTimeout(openStore(ctx, { migrate: false }), ctx.signal);
    try {
      await withTimeout(store.query('SELECT 1'), ctx.signal);
      return { ok: true };
    } finally {
      await store.close();
    }
  } catch (err) {
    return { ok: false, error: coerceError(err).message };
  }
}

async function probeOpenEhr(ctx: AppContext): Promise<{ ok: boolean; error?: string }> {
  const client = createOpenEhrClient(ctx);
  try {
    await client.ping(ctx.signal);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: ctx.signal.aborted ? 'no answer within 5 s' : coerceError(err).message };
  } finally {
    await client.close();
  }
}

/** The database driver has no signal: a probe that hangs is given up (the connection is closed by its pool). */
function withTimeout<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('no answer within 5 s'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
