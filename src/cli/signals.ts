import { ExitCode } from '../errors.js';

export interface Shutdown {
  /** Aborted by the first SIGINT/SIGTERM: stop discovery and fetching, let the write in flight finish. */
  readonly signal: AbortSignal;
  /** 130 (SIGINT) or 143 (SIGTERM) once a signal arrived; undefined before. */
  exitCode(): number | undefined;
  /** The grace period after the first signal; after it the process exits with the interrupted code. */
  setTimeoutSeconds(seconds: number): void;
  /** Removes the handlers and the timer (in `finally`). */
  dispose(): void;
}

export interface ShutdownOptions {
  timeoutSeconds: number;
  /** Where the notice goes (stderr). */
  write: (text: string) => void;
  /** How to leave at once (process.exit); injectable so tests need not exit. */
  exit: (code: number) => void;
  /** The process to listen on (an EventEmitter with SIGINT/SIGTERM). */
  target?: NodeJS.EventEmitter;
}

const CODES = { SIGINT: ExitCode.interruptedSigint, SIGTERM: ExitCode.interruptedSigterm } as const;

/**
 * Graceful shutdown. The first SIGINT/SIGTERM aborts the run's signal and starts a timer of
 * `shutdown_timeout_secs`; when the batch in flight has committed or rolled back the command prints its
 * summary and exits with 130/143 by itself. If that takes longer than the timer, or a second signal
 * arrives, the process exits at once with the same code: the open transaction is rolled back by
 * PostgreSQL and the next run resumes from the last committed batch.
 */
export function installShutdown(opts: ShutdownOptions): Shutdown {
  const target = opts.target ?? process;
  const controller = new AbortController();
  let timeoutSeconds = opts.timeoutSeconds;
  let code: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  const onSignal = (name: keyof typeof CODES) => () => {
    if (code !== undefined) {
      opts.write(`\nSecond ${name}: exiting now.\n`);
      opts.exit(code);
      return;
    }
    code = CODES[name];
    opts.write(
      `\n${name} received: finishing the batch in flight (up to ${timeoutSeconds}s), then stopping. ` +
        'Press Ctrl+C again to exit at once.\n',
    );
    timer = setTimeout(() => {
      opts.write(`\nShutdown did not finish within ${timeoutSeconds}s: exiting now.\n`);
      opts.exit(code ?? ExitCode.interruptedSigint);
    }, timeoutSeconds * 1000);
    // The timer must not keep an otherwise finished process alive.
    timer.unref();
    controller.abort(new Error(`${name} received`));
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  target.on('SIGINT', onInt);
  target.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    exitCode: () => code,
    setTimeoutSeconds(seconds) {
      timeoutSeconds = seconds;
    },
    dispose() {
      target.off('SIGINT', onInt);
      target.off('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
    },
  };
}
