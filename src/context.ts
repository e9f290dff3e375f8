import type { Logger } from 'pino';
import type { AtlasConfig } from './config/types.js';
import type { RunObserver } from './observer.js';

/**
 * The one context object passed as the first argument through the house: configuration, logger and the
 * abort signal of the run. No module-level state; resources are opened by the command and released in
 * reverse order in `finally`.
 */
export interface AppContext {
  readonly config: AtlasConfig;
  readonly logger: Logger;
  /** Aborted on the first SIGINT/SIGTERM: stop starting new work, finish or roll back the batch in flight. */
  readonly signal: AbortSignal;
  /** Listens to requests, retries and writes as they happen (`atlas sync`'s metrics); absent elsewhere. */
  readonly observer?: RunObserver;
}

export type { Logger };
