import { TemplateLockedError } from '../postgres/template-locked-error.js';
import type { LockMode } from '../types.js';

/**
 * Template locks of the embedded store. PGlite runs a single backend session shared by every connection, so
 * advisory locks would always be granted (they are re-entrant per session); and the directory lock already
 * keeps other processes out. What remains is exclusion between exports in this process: a promise per held
 * template. One instance per store, no module state.
 */
export class InProcessTemplateLocks {
  readonly #held = new Map<string, Promise<void>>();
  readonly #where: string;

  constructor(where: string) {
    this.#where = where;
  }

  async lock(templateId: string, mode: LockMode, signal?: AbortSignal): Promise<() => Promise<void>> {
    for (;;) {
      const current = this.#held.get(templateId);
      if (!current) break;
      if (mode === 'fail') throw new TemplateLockedError(templateId, this.#where);
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal?.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        current.then(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#held.set(templateId, held);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.#held.delete(templateId);
      release();
    };
  }
}
