import type { Logger } from '../../context.js';
import type { ProgressSink } from '../../export/types.js';
import { type ProgressState, progressRecord } from './format.js';

/**
 * Progress where there is no terminal (cron, containers, CI): a structured log line per active template
 * every `intervalMs`, and one when a template finishes. Counts only: no content, no patient identifiers.
 */
export function logLineProgress(
  logger: Logger,
  intervalMs = 5000,
  now: () => number = Date.now,
): ProgressSink {
  const states = new Map<string, ProgressState>();
  const timer = setInterval(() => {
    for (const state of states.values())
      logger.info({ progress: progressRecord(state, now()) }, 'export progress');
  }, intervalMs);
  timer.unref();
  return {
    templateStarted(templateId, total) {
      states.set(templateId, { templateId, done: 0, total: total ?? 0, startedAt: now() });
    },
    templateProgress(templateId, done, total) {
      const state = states.get(templateId);
      if (!state) return;
      state.done = done;
      state.total = total;
    },
    templateFinished(templateId, status) {
      const state = states.get(templateId);
      if (!state) return;
      logger.info({ progress: { ...progressRecord(state, now()), status } }, 'template finished');
      states.delete(templateId);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
