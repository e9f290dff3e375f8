import type { Logger } from '../../context.js';
import type { RunObserver } from '../../observer.js';
import type { GovernorSummary } from '../types.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { RateGate } from './rate-gate.js';
import type { RequestKind } from './stats.js';

export interface GovernorOptions {
  /** `openehr.query.max_requests_per_second`; 0 = no limit. */
  maxRequestsPerSecond: number;
  /** `openehr.query.parallel_ehrs`: the ceiling of the adaptive concurrency. */
  maxConcurrency: number;
  /** Longest pause a Retry-After can impose (`openehr.retry.max_delay_ms`, as for one request's wait). */
  maxPauseMs: number;
  logger: Logger;
  observer?: RunObserver;
  now?: () => number;
}

/** A request let through: whether it holds a fetch slot, and when it left (for its latency). */
export interface Admission {
  slotted: boolean;
  startedMs: number;
}

/**
 * Kinds whose concurrency adapts: the per-composition GETs, which are the export's parallel load. AQL pages,
 * web templates and status probes are few and sequential per template; they pass the rate gate only.
 */
const SLOTTED: ReadonlySet<RequestKind> = new Set(['composition']);

/**
 * A round is slow when its mean latency is both this many times the baseline and this many ms above it,
 * and concurrency is cut only after `SLOW_ROUNDS` slow rounds in a row. On loopback a request takes a
 * millisecond or two and one garbage collection or batch write in the exporter doubles a round's mean;
 * a CDR queueing our requests adds tens to hundreds of ms, round after round.
 */
const LATENCY_TOLERANCE = 2;
const LATENCY_MARGIN_MS = 25;
const SLOW_ROUNDS = 2;
/** Multiplicative decreases: gentle on latency (a hint), halving on 429/503 (the server said so). */
const CUT_ON_LATENCY = 0.75;
const CUT_ON_OVERLOAD = 0.5;
/** The baseline follows a faster round quickly and a slower one slowly, so a slow drift is tolerated. */
const BASELINE_FALL = 0.3;
const BASELINE_RISE = 0.05;

/**
 * The client's request governor: a rate ceiling over every request, and AIMD concurrency for fetches.
 *
 * - **Rate:** every exchange passes a RateGate (token bucket of `max_requests_per_second`, no burst).
 * - **Concurrency, AIMD:** fetches hold one of `limit` slots (1..`parallel_ehrs`, starting at the ceiling)
 *   for the exchange only. A round is `limit` healthy answers; its mean latency is compared with a
 *   baseline (a slowly rising average of earlier rounds). Two rounds in a row slower than
 *   `LATENCY_TOLERANCE` × the baseline (and `LATENCY_MARGIN_MS` above it) cut the limit to 3/4 (the server
 *   is queueing: more parallel requests only lengthen its queue); a healthy round adds one slot.
 * - **429 and 503** halve the limit of the whole client, at most once per round (every request in flight
 *   at that moment gets the same answer). The request told to wait waits its Retry-After without a slot.
 *   When the limit is down to 1 and the server still answers 429/503 with Retry-After, the whole client
 *   (every kind, every slot) pauses until it expires, capped at `max_delay_ms`. Pausing everything on
 *   every such answer would stop a client that meets 2% of them at random after every 50 requests
 *   (measured: 40 compositions/s against 1,000 clean); halving first lets AIMD find the load the server
 *   takes, and the pause is what is left when even one request at a time is too many.
 * - 500, 502, resets and cut bodies are chance failures, not load: they change nothing here; the request is
 *   retried after its backoff without a slot (see AdaptiveLimit) and re-enters the queue by its number.
 *
 * Decisions are logged at debug level and reported to the observer (the /metrics gauges of `atlas sync`).
 */
export class Governor {
  private readonly slots: AdaptiveLimit;
  private readonly gate: RateGate;
  private readonly now: () => number;
  private sequence = 0;
  private roundCount = 0;
  private roundLatencyMs = 0;
  private baselineMs: number | undefined;
  private slowRounds = 0;
  /** Answers since the last cut, and the limit cut then: one cut per round of answers. */
  private sinceCut = Number.POSITIVE_INFINITY;
  private limitAtCut = 0;
  private reportedPaused = false;
  private readonly totals: GovernorSummary;

  constructor(private readonly options: GovernorOptions) {
    this.now = options.now ?? (() => performance.now());
    const max = Math.max(1, options.maxConcurrency);
    this.slots = new AdaptiveLimit(max);
    const rate = options.maxRequestsPerSecond;
    this.gate = new RateGate(rate > 0 ? 1000 / rate : 0, this.now);
    this.totals = {
      maxRequestsPerSecond: rate > 0 ? rate : null,
      concurrency: { max, min: max, final: max },
      decreases: { latency: 0, overload: 0 },
      increases: 0,
      pauses: 0,
      pausedMs: 0,
    };
    this.report();
  }

  /** The order requests were first sent in: a retry keeps its number and so its place in the queue. */
  nextPriority(): number {
    return this.sequence++;
  }

  /** Lets a request go: a slot (fetches), then the rate gate. Synchronous when nothing holds it back. */
  admit(kind: RequestKind, priority: number, signal: AbortSignal): Admission | Promise<Admission> {
    const slotted = SLOTTED.has(kind);
    const slot = slotted ? this.slots.acquire(priority, signal) : undefined;
    return slot ? slot.then(() => this.pass(slotted, signal)) : this.pass(slotted, signal);
  }

  /** The end of an admitted exchange: its status ('error' = no answer) and the server's Retry-After. */
  done(admission: Admission, status: number | 'error', retryAfterMs?: number): void {
    if (admission.slotted) this.slots.release();
    this.sinceCut++;
    if (this.reportedPaused && !this.gate.isPaused()) this.report();
    if (status === 429 || status === 503) {
      this.overloaded(status, retryAfterMs);
      return;
    }
    if (!admission.slotted || status === 'error' || status >= 500) return;
    this.roundLatencyMs += this.now() - admission.startedMs;
    this.roundCount++;
    if (this.roundCount >= this.slots.limit) this.endRound();
  }

  summary(): GovernorSummary {
    return {
      ...this.totals,
      concurrency: { ...this.totals.concurrency, final: this.slots.limit },
      decreases: { ...this.totals.decreases },
    };
  }

  private pass(slotted: boolean, signal: AbortSignal): Admission | Promise<Admission> {
    const waiting = this.gate.admit(signal);
    if (!waiting) return { slotted, startedMs: this.now() };
    return waiting.then(
      () => ({ slotted, startedMs: this.now() }),
      (err: unknown) => {
        if (slotted) this.slots.release();
        throw err;
      },
    );
  }

  private overloaded(status: number, retryAfterMs: number | undefined): void {
    // Already down to one fetch at a time and still told to wait: only a pause of everything is left.
    if (retryAfterMs !== undefined && retryAfterMs > 0 && this.slots.limit === 1) {
      const added = this.gate.pauseFor(Math.min(retryAfterMs, this.options.maxPauseMs));
      if (added > 0) {
        this.totals.pauses++;
        this.totals.pausedMs += Math.round(added);
        this.options.logger.debug(
          { status, retryAfterMs, pausedMs: Math.round(added) },
          'governor: server asked to retry later; pausing every request',
        );
        this.report();
      }
    }
    if (this.sinceCut < this.limitAtCut) return;
    this.totals.decreases.overload++;
    this.change(this.slots.limit * CUT_ON_OVERLOAD, `HTTP ${status}`);
  }

  private endRound(): void {
    const meanMs = this.roundLatencyMs / this.roundCount;
    this.roundCount = 0;
    this.roundLatencyMs = 0;
    const baseline = this.baselineMs;
    if (baseline === undefined) {
      this.baselineMs = meanMs;
      return;
    }
    const limit = this.slots.limit;
    if (meanMs > baseline * LATENCY_TOLERANCE && meanMs > baseline + LATENCY_MARGIN_MS && limit > 1) {
      this.slowRounds++;
      if (this.slowRounds < SLOW_ROUNDS || this.sinceCut < this.limitAtCut) return;
      this.slowRounds = 0;
      this.totals.decreases.latency++;
      this.change(limit * CUT_ON_LATENCY, 'latency', { latencyMs: meanMs, baselineMs: baseline });
      return;
    }
    this.slowRounds = 0;
    this.baselineMs = baseline + (meanMs - baseline) * (meanMs < baseline ? BASELINE_FALL : BASELINE_RISE);
    if (limit < this.slots.max && !this.gate.isPaused()) {
      this.totals.increases++;
      this.change(limit + 1, 'healthy', { latencyMs: meanMs, baselineMs: baseline });
    }
  }

  private change(target: number, cause: string, details: Record<string, number> = {}): void {
    const from = this.slots.limit;
    this.slots.setLimit(target);
    const to = this.slots.limit;
    if (to < from) {
      this.sinceCut = 0;
      this.limitAtCut = from;
      this.roundCount = 0;
      this.roundLatencyMs = 0;
    }
    if (to === from) return;
    this.totals.concurrency.min = Math.min(this.totals.concurrency.min, to);
    const rounded = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, Math.round(v * 10) / 10]));
    this.options.logger.debug({ cause, from, to, ...rounded }, 'governor: fetch concurrency changed');
    this.report();
  }

  /** The observer hears the limits now in force: 0 requests/s while paused, Infinity without a ceiling. */
  private report(): void {
    const paused = this.gate.isPaused();
    this.reportedPaused = paused;
    const rate = this.totals.maxRequestsPerSecond ?? Number.POSITIVE_INFINITY;
    this.options.observer?.governor?.({
      requestsPerSecond: paused ? 0 : rate,
      concurrency: this.slots.limit,
    });
  }
}
