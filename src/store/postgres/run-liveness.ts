import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../context.js';
import { ConnectionError, coerceError } from '../../errors.js';

/**
 * How a store tells a run in progress from one whose process died (`kill -9`, a crash, a lost host) without
 * recording its outcome: both leave `export_runs.status = 'running'`. Each run holds a liveness token for
 * its whole life; a later run that can take a run's token knows its process is gone and marks that run
 * interrupted (see runs.ts).
 */
export interface RunLiveness {
  /** Inserts the run's row (with `insert`, on the given connection) and takes its token; returns the id. */
  start(insert: (q: pg.ClientBase | pg.Pool) => Promise<number>): Promise<number>;
  /** Whether the process that started run `id` is gone (nobody holds its token). */
  isGone(id: number): Promise<boolean>;
  /** Gives the run's token back (its outcome is recorded). Never throws. */
  finish(id: number): Promise<void>;
  /** Gives back every token still held (the store closes). */
  close(): Promise<void>;
}

/** Advisory-lock key of one run: salted apart from the template and migration keys. */
export function runLockKey(schema: string, runId: number): string {
  const digest = createHash('sha256').update(`atlas:run\u0000${schema}\u0000${runId}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * On a PostgreSQL server: the token is a session advisory lock on a connection of the run's own, taken in
 * the transaction that inserts the row, so no other session ever sees the row without its lock held. A
 * process that dies closes its socket and the server frees the lock at once (a vanished host: within the
 * keepalive lease of the connection settings, as for template locks).
 */
export class AdvisoryRunLiveness implements RunLiveness {
  readonly #held = new Map<number, pg.Client>();

  constructor(
    private readonly deps: { pool: pg.Pool; clientConfig: pg.ClientConfig; schema: string; logger: Logger },
  ) {}

  async start(insert: (q: pg.ClientBase | pg.Pool) => Promise<number>): Promise<number> {
    const client = new pg.Client(this.deps.clientConfig);
    // A dead token connection only means a later run may mark this one interrupted early; the outcome this
    // run records still wins (finishRun updates by id).
    client.on('error', (err) =>
      this.deps.logger.warn({ err: { message: err.message } }, 'export run liveness connection lost'),
    );
    try {
      await client.connect();
    } catch (err) {
      throw new ConnectionError(`cannot open a connection for the export run: ${coerceError(err).message}`, {
        cause: err,
      });
    }
    try {
      await client.query('BEGIN');
      const id = await insert(client);
      await client.query('SELECT pg_advisory_lock($1::bigint)', [runLockKey(this.deps.schema, id)]);
      await client.query('COMMIT');
      this.#held.set(id, client);
      return id;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  async isGone(id: number): Promise<boolean> {
    const client = await this.deps.pool.connect();
    try {
      const key = runLockKey(this.deps.schema, id);
      const res = await client.query<{ free: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS free', [
        key,
      ]);
      if (res.rows[0]?.free !== true) return false;
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      return true;
    } finally {
      client.release();
    }
  }

  async finish(id: number): Promise<void> {
    const client = this.#held.get(id);
    this.#held.delete(id);
    // Ending the session releases the lock.
    await client?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#held.keys()].map((id) => this.finish(id)));
  }
}

/**
 * In the embedded database: one process at a time opens it (the directory lock), so a `running` row this
 * store did not start belongs to a process that is gone.
 */
export class InProcessRunLiveness implements RunLiveness {
  readonly #held = new Set<number>();

  constructor(private readonly pool: pg.Pool) {}

  async start(insert: (q: pg.ClientBase | pg.Pool) => Promise<number>): Promise<number> {
    const id = await insert(this.pool);
    this.#held.add(id);
    return id;
  }

  async isGone(id: number): Promise<boolean> {
    return !this.#held.has(id);
  }

  async finish(id: number): Promise<void> {
    this.#held.delete(id);
  }

  async close(): Promise<void> {
    this.#held.clear();
  }
}
