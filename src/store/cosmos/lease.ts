import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Container } from '@azure/cosmos';
import type { Logger } from '../../context.js';
import { coerceError } from '../../errors.js';
import { TemplateLockedError } from '../template-locked-error.js';
import { statusOf } from './client.js';
import { readDoc } from './control.js';
import { controlIds } from './ids.js';

/** How long a lease lasts without renewal, and how often the holder renews it. */
export const LEASE_TTL_MS = 60_000;
const RENEW_EVERY_MS = 15_000;
const WAIT_POLL_MS = 1_000;

interface LeaseDocument {
  id: string;
  type: 'lease';
  template_id: string;
  holder: string | null;
  host: string;
  pid: number;
  /** Epoch milliseconds; a lease past it is free. */
  expires_at: number;
}

/** Whether the lease's holder is a process of this machine that no longer exists (killed, crashed). */
function holderIsGone(lease: LeaseDocument): boolean {
  if (lease.host !== hostname()) return false;
  if (lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isFree(lease: LeaseDocument): boolean {
  return lease.holder === null || lease.expires_at < Date.now() || holderIsGone(lease);
}

/**
 * Cosmos DB has no advisory locks: a template is leased with a document `lease::{template}` in the control
 * container, taken and renewed with ETag optimistic concurrency (create fails with 409 and replace with 412
 * when another exporter got there first, so exactly one wins). The holder renews it every 15 s; a lease not
 * renewed for 60 s (the holder died or lost its network) is free, and so is one whose holder is a process
 * of this machine that no longer exists (kill -9), so a local re-run resumes at once. A holder that fails to
 * renew stops writing: `assertHeld` throws before each batch.
 */
export class TemplateLease {
  readonly #control: Container;
  readonly #templateId: string;
  readonly #holder = randomUUID();
  readonly #logger: Logger;
  #etag = '';
  #lost: Error | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(control: Container, templateId: string, logger: Logger) {
    this.#control = control;
    this.#templateId = templateId;
    this.#logger = logger;
  }

  static async acquire(
    deps: { control: Container; logger: Logger; where: string },
    templateId: string,
    mode: 'wait' | 'fail',
    signal?: AbortSignal,
  ): Promise<TemplateLease> {
    const lease = new TemplateLease(deps.control, templateId, deps.logger);
    let announced = false;
    while (!(await lease.#tryTake())) {
      if (mode === 'fail') throw new TemplateLockedError(templateId, deps.where);
      if (!announced) {
        deps.logger.info(
          { templateId },
          'template leased by another Atlas export; waiting (lock_mode = "wait")',
        );
        announced = true;
      }
      await sleep(WAIT_POLL_MS, undefined, { signal });
    }
    lease.#timer = setInterval(() => void lease.#renew(), RENEW_EVERY_MS);
    lease.#timer.unref();
    return lease;
  }

  #body(holder: string | null, expiresAt: number): LeaseDocument {
    return {
      id: controlIds.lease(this.#templateId),
      type: 'lease',
      template_id: this.#templateId,
      holder,
      host: hostname(),
      pid: process.pid,
      expires_at: expiresAt,
    };
  }

  async #tryTake(): Promise<boolean> {
    const id = controlIds.lease(this.#templateId);
    const current = await readDoc<LeaseDocument>(this.#control, id);
    try {
      if (!current) {
        const { etag } = await this.#control.items.create(
          this.#body(this.#holder, Date.now() + LEASE_TTL_MS),
        );
        this.#etag = etag;
        return true;
      }
      if (!isFree(current)) return false;
      const { etag } = await this.#control
        .item(id, id)
        .replace(this.#body(this.#holder, Date.now() + LEASE_TTL_MS), {
          accessCondition: { type: 'IfMatch', condition: current._etag },
        });
      this.#etag = etag;
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 409 || status === 412) return false;
      throw err;
    }
  }

  async #renew(): Promise<void> {
    if (this.#lost) return;
    const id = controlIds.lease(this.#templateId);
    try {
      const { etag } = await this.#control
        .item(id, id)
        .replace(this.#body(this.#holder, Date.now() + LEASE_TTL_MS), {
          accessCondition: { type: 'IfMatch', condition: this.#etag },
        });
      this.#etag = etag;
    } catch (err) {
      // 412: someone else took it (we were presumed dead). Other errors: keep trying until it expires.
      if (statusOf(err) === 412) {
        this.#lost = new Error(
          `the lease of template ${JSON.stringify(this.#templateId)} was taken over by another exporter`,
        );
        this.#logger.error({ templateId: this.#templateId }, this.#lost.message);
      } else {
        this.#logger.warn(
          { templateId: this.#templateId, err: coerceError(err).message },
          'lease renewal failed',
        );
      }
    }
  }

  /** Throws when the lease was lost: no batch may be written without it. */
  assertHeld(): void {
    if (this.#lost) throw this.#lost;
  }

  async release(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#lost) return;
    const id = controlIds.lease(this.#templateId);
    try {
      await this.#control.item(id, id).replace(this.#body(null, 0), {
        accessCondition: { type: 'IfMatch', condition: this.#etag },
      });
    } catch (err) {
      // Not ours any more, or unreachable: it expires on its own.
      this.#logger.warn(
        { templateId: this.#templateId, err: coerceError(err).message },
        'lease release failed',
      );
    }
    this.#lost = new Error(`the lease of template ${JSON.stringify(this.#templateId)} was released`);
  }
}
