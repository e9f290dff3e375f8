import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../../context.js';
import { ConnectionError, coerceError } from '../../errors.js';
import { TemplateLockedError } from '../template-locked-error.js';
import type { LockMode, TemplateLockRelease } from '../types.js';

/** Poll interval of lock_mode = "wait": short enough to start promptly, long enough to cost nothing. */
const WAIT_POLL_MS = 500;

/**
 * The advisory-lock key of (schema, template): the first 64 bits of a SHA-256, as a signed bigint. Computed
 * here rather than with hashtext() so two schemas or templates practically never share a key and the key does
 * not depend on the server's hash implementation.
 */
export function advisoryKey(schema: string, templateId: string): string {
  const digest = createHash('sha256').update(`atlas\u0000${schema}\u0000${templateId}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * The lock connection's settings for a lease of `leaseSeconds`: an advisory lock lives as long as its session,
 * and PostgreSQL ends the session of a peer that vanished (lost network, frozen host) only when TCP says so.
 * Server-side keepalives (idle, interval, count) and tcp_user_timeout, sent as startup parameters, bound
 * that to about the lease; client-side keepalive makes this side notice too. A process that exits or is
 * killed closes its socket, and the lock is released at once.
 */
export function leaseClientConfig(clientConfig: pg.ClientConfig, leaseSeconds: number): pg.ClientConfig {
  const idle = Math.max(1, Math.floor(leaseSeconds / 3));
  const interval = Math.max(1, Math.floor(leaseSeconds / 6));
  const count = Math.max(1, Math.floor((leaseSeconds - idle) / interval));
  const settings = [
    `-c tcp_keepalives_idle=${idle}`,
    `-c tcp_keepalives_interval=${interval}`,
    `-c tcp_keepalives_count=${count}`,
    `-c tcp_user_timeout=${leaseSeconds * 1000}`,
  ].join(' ');
  return {
    ...clientConfig,
    keepAlive: true,
    keepAliveInitialDelayMillis: idle * 1000,
    options: clientConfig.options ? `${clientConfig.options} ${settings}` : settings,
  };
}

async function tryLock(client: pg.Client, key: string): Promise<boolean> {
  const res = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
    key,
  ]);
  return res.rows[0]?.locked === true;
}

/**
 * Session-level advisory lock on a connection of its own (not a pool slot, so exporters holding locks cannot
 * starve the batch writers), held until the returned release function runs. If the connection dies the server
 * drops the lock with it. "wait" polls pg_try_advisory_lock so the AbortSignal is honoured between attempts.
 */
export async function lockTemplateAdvisory(
  deps: { logger: Logger; clientConfig: pg.ClientConfig; schema: string; where: string },
  templateId: string,
  mode: LockMode,
  signal?: AbortSignal,
): Promise<TemplateLockRelease> {
  const key = advisoryKey(deps.schema, templateId);
  const client = new pg.Client(deps.clientConfig);
  const lost = new AbortController();
  let released = false;
  const onLost = (message: string) => {
    if (released || lost.signal.aborted) return;
    deps.logger.warn(
      { err: { message }, templateId },
      'template lock connection lost; stopping this template',
    );
    lost.abort(new Error(`lock connection: ${message}`));
  };
  client.on('error', (err) => onLost(err.message));
  client.on('end', () => onLost('connection closed'));
  try {
    await client.connect();
  } catch (err) {
    throw new ConnectionError(
      `cannot open the lock connection for template ${templateId} to ${deps.where}: ${coerceError(err).message}`,
      { cause: err },
    );
  }
  try {
    let announced = false;
    while (!(await tryLock(client, key))) {
      if (mode === 'fail') throw new TemplateLockedError(templateId, deps.where);
      if (!announced) {
        deps.logger.info(
          { templateId },
          'template locked by another Atlas export; waiting (lock_mode = "wait")',
        );
        announced = true;
      }
      await sleep(WAIT_POLL_MS, undefined, { signal });
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  const release = async () => {
    if (released) return;
    released = true;
    try {
      // On a dead connection there is nothing to unlock (the server dropped the lock with the session).
      if (!lost.signal.aborted) await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    } catch (err) {
      deps.logger.debug(
        { err: { message: coerceError(err).message }, templateId },
        'template unlock failed; ending the session releases it',
      );
    } finally {
      // Ending the session releases the lock even if the unlock above failed.
      await client.end().catch(() => undefined);
    }
  };
  return Object.assign(release, { lost: lost.signal });
}
