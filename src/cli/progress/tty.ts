import cliProgress from 'cli-progress';
import type { ProgressSink } from '../../export/types.js';
import { etaSeconds, formatEta, formatRate, type ProgressState, ratePerSecond } from './format.js';

/**
 * Live progress on a terminal: one bar per template (done/total, rate, ETA) on stderr, so stdout keeps
 * only the summary. The total is the source's live count in full runs, the count discovered so far in
 * incremental runs (it grows as discovery pages arrive).
 */
export function ttyProgress(
  stream: NodeJS.WritableStream = process.stderr,
  now: () => number = Date.now,
): ProgressSink {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: '{template} |{bar}| {value}/{total} | {rate} | ETA {eta}',
      hideCursor: true,
      barsize: 28,
      fps: 5,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; state: ProgressState }>();
  const label = (t: string) => (t.length > 32 ? `${t.slice(0, 31)}…` : t.padEnd(32));
  return {
    templateStarted(templateId, total) {
      const state: ProgressState = { templateId, done: 0, total: total ?? 0, startedAt: now() };
      const bar = multibar.create(state.total, 0, {
        template: label(templateId),
        rate: formatRate(0),
        eta: '?',
      });
      bars.set(templateId, { bar, state });
    },
    templateProgress(templateId, done, total) {
      const entry = bars.get(templateId);
      if (!entry) return;
      entry.state.done = done;
      entry.state.total = total;
      const t = now();
      if (entry.bar.getTotal() !== total) entry.bar.setTotal(total);
      entry.bar.update(done, {
        rate: formatRate(ratePerSecond(entry.state, t)),
        eta: formatEta(etaSeconds(entry.state, t)),
      });
    },
    templateFinished(templateId, status) {
      const entry = bars.get(templateId);
      if (!entry) return;
      entry.bar.update(entry.state.done, { eta: status });
    },
    stop() {
      multibar.stop();
    },
  };
}
