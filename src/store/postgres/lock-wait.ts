import pg from 'pg';
import type { Logger } from '../../context.js';
import { coerceError } from '../../errors.js';

/** First look after this long: a batch normally commits well within it. */
const FIRST_LOOK_MS = 2_000;
/** Then again at this interval, as long as the wait lasts. */
const REPEAT_MS = 15_000;

interface Blocker {
  pid: number;
  application: string | null;
  user: string | null;
  state: string | null;
  transactionSeconds: number | null;
}

/**
 * Says so when a statement of Atlas waits on a lock another session holds (a `LOCK TABLE`, a long
 * `ALTER TABLE`, a `VACUUM FULL`, a user's transaction holding rows): without it, an export just stops
 * moving and logs nothing. After two seconds, and every fifteen while it lasts, the waiting backend is
 * looked up on a connection of its own (the pool may be the thing that is stuck) and the sessions blocking it
 * are logged: process id, application, user, state and transaction age. Never their query text, which can
 * hold patient data.
 */
export class LockWaitWatch {
  constructor(private readonly deps: { clientConfig: pg.ClientConfig; logger: Logger }) {}

  async around<T>(client: pg.ClientBase, what: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    const pid = (client as pg.ClientBase & { processID?: number }).processID;
    if (typeof pid !== 'number') return fn();
    const started = Date.now();
    let checker: pg.Client | undefined;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const look = async () => {
      try {
        checker ??= await this.#connect();
        const blockers = await blockersOf(checker, pid);
        if (!done && blockers.length > 0) {
          this.deps.logger.info(
            { ...what, waitedSeconds: Math.round((Date.now() - started) / 1000), blockers },
            'waiting for a database lock held by another session; Atlas goes on when it is released',
          );
        }
      } catch (err) {
        this.deps.logger.debug({ err: { message: coerceError(err).message } }, 'lock wait check failed');
      }
      if (!done) timer = setTimeout(look, REPEAT_MS).unref();
    };
    timer = setTimeout(look, FIRST_LOOK_MS).unref();
    try {
      return await fn();
    } finally {
      done = true;
      clearTimeout(timer);
      await checker?.end().catch(() => undefined);
    }
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client(this.deps.clientConfig);
    client.on('error', () => undefined); // a failed check is logged by the caller, never fatal
    await client.connect();
    return client;
  }
}

async function blockersOf(checker: pg.Client, pid: number): Promise<Blocker[]> {
  const { rows } = await checker.query<{
    pid: number;
    application: string | null;
    user: string | null;
    state: string | null;
    transaction_seconds: number | null;
  }>(
    `SELECT b.pid, b.application_name AS application, b.usename AS user, b.state,
            round(extract(epoch FROM now() - b.xact_start))::int AS transaction_seconds
       FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids($1)) ORDER BY b.pid`,
    [pid],
  );
  return rows.map((r) => ({
    pid: r.pid,
    application: r.application,
    user: r.user,
    state: r.state,
    transactionSeconds: r.transaction_seconds,
  }));
}
