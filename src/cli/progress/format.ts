/** Pure helpers of the progress display: rate, ETA and the structured progress record. */

export interface ProgressState {
  templateId: string;
  done: number;
  total: number;
  startedAt: number;
}

/** `1234.5` → `1,235/s`; small rates keep one decimal. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0/s';
  return perSecond < 10 ? `${perSecond.toFixed(1)}/s` : `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

/** Seconds → `1h02m`, `3m05s`, `42s`; unknown → `?`. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export function ratePerSecond(state: ProgressState, now: number): number {
  const elapsed = (now - state.startedAt) / 1000;
  return elapsed > 0 ? state.done / elapsed : 0;
}

/** Remaining seconds at the current rate; undefined while nothing is done yet. */
export function etaSeconds(state: ProgressState, now: number): number | undefined {
  const rate = ratePerSecond(state, now);
  if (rate <= 0) return undefined;
  return Math.max(0, state.total - state.done) / rate;
}

/** The record a periodic progress log line carries (no content, no identifiers beyond the template). */
export function progressRecord(state: ProgressState, now: number) {
  const rate = ratePerSecond(state, now);
  return {
    templateId: state.templateId,
    done: state.done,
    total: state.total,
    ratePerSecond: Math.round(rate * 10) / 10,
    etaSeconds: (() => {
      const eta = etaSeconds(state, now);
      return eta === undefined ? null : Math.round(eta);
    })(),
  };
}
