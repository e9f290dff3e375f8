import type { Logger } from '../../context.js';
import type { ProgressSink } from '../../export/types.js';
import { logLineProgress } from './log-lines.js';
import { ttyProgress } from './tty.js';

/** Bars on a terminal (stderr is a TTY), periodic structured log lines otherwise. */
export function chooseProgress(
  logger: Logger,
  opts: { stderrIsTty: boolean; intervalMs?: number },
): ProgressSink {
  return opts.stderrIsTty ? ttyProgress(process.stderr) : logLineProgress(logger, opts.intervalMs);
}
