import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ExportSummary } from '../export/types.js';
import type { RunObserver } from '../observer.js';

const T = ['template_id'] as const;

/**
 * The Prometheus metrics of `atlas sync`, on a registry of its own (never prom-client's global one). The
 * export reports requests, retries and writes as they happen through `observer`; the sync loop reports each
 * cycle's summary (`cycleFinished`) and the cursors it read (`cursorsRead`). Labels have bounded
 * cardinality: template ids, endpoint kinds, HTTP statuses; never an EHR, a composition or a URL.
 */
export class SyncMetrics {
  readonly registry = new Registry();
  private readonly cursorTimes = new Map<string, number>();

  private readonly exported = this.counter(
    'atlas_compositions_exported_total',
    'Compositions written to the database (new compositions and new versions), by template.',
  );
  private readonly updated = this.counter(
    'atlas_compositions_updated_total',
    'New versions of already stored compositions written to the database (a subset of exported).',
  );
  private readonly deleted = this.counter(
    'atlas_compositions_deleted_total',
    'Compositions marked deleted or removed because they are gone from the source.',
  );
  private readonly failed = this.counter(
    'atlas_compositions_failed_total',
    'Compositions that failed in a cycle (one still failing is counted again in each cycle that retries it).',
  );
  private readonly failing = new Gauge({
    name: 'atlas_compositions_failing',
    help: 'Compositions of the template whose last attempt failed (recorded, retried by the next cycle).',
    labelNames: T,
    registers: [this.registry],
  });
  private readonly skipped = this.counter(
    'atlas_sync_template_skipped_total',
    'Cycles in which the template was skipped because another instance held it.',
  );
  private readonly lastSuccess = new Gauge({
    name: 'atlas_sync_last_success_timestamp_seconds',
    help: 'Unix time at which a cycle last exported the template completely.',
    labelNames: T,
    registers: [this.registry],
  });
  private readonly cycles = new Counter({
    name: 'atlas_sync_cycles_total',
    help: 'Sync cycles by result (success, failure, interrupted).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly consecutive = new Gauge({
    name: 'atlas_sync_consecutive_failures',
    help: 'Cycles in a row that failed (0 after a success).',
    registers: [this.registry],
  });
  private readonly cycleDuration = new Histogram({
    name: 'atlas_sync_cycle_duration_seconds',
    help: 'Duration of a sync cycle.',
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'atlas_source_requests_total',
    help: 'HTTP requests to the openEHR server, by endpoint kind and status (error: no response).',
    labelNames: ['endpoint', 'status'] as const,
    registers: [this.registry],
  });
  private readonly requestDuration = new Histogram({
    name: 'atlas_source_request_duration_seconds',
    help: 'Latency of HTTP requests to the openEHR server, by endpoint kind and status.',
    labelNames: ['endpoint', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'atlas_source_retries_total',
    help: 'Retried requests to the openEHR server, by cause (HTTP status or network).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly writeDuration = new Histogram({
    name: 'atlas_database_write_duration_seconds',
    help: 'Latency of one batch transaction (compositions, watermarks, cursor), by template and result.',
    labelNames: ['template_id', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  // Filled by the bulk-export governor once it lands (RunObserver.governor); until then no series exist.
  private readonly governorRate = new Gauge({
    name: 'atlas_governor_requests_per_second',
    help: "The request rate the export's governor currently allows, by template.",
    labelNames: T,
    registers: [this.registry],
  });
  private readonly governorConcurrency = new Gauge({
    name: 'atlas_governor_concurrency',
    help: "The concurrency the export's governor currently allows, by template.",
    labelNames: T,
    registers: [this.registry],
  });

  constructor(private readonly now: () => number = Date.now) {
    collectDefaultMetrics({ register: this.registry });
    const times = this.cursorTimes;
    const clock = this.now;
    new Gauge({
      name: 'atlas_sync_lag_seconds',
      help: "Now minus the template's cursor (commit time of the newest exported change), by template.",
      labelNames: T,
      registers: [this.registry],
      collect() {
        // Computed at scrape time, so the lag grows between cycles as it does in reality.
        this.reset();
        for (const [templateId, time] of times)
          this.set({ template_id: templateId }, (clock() - time) / 1000);
      },
    });
  }

  /** What the export tells while it runs (given to the cycle's AppContext). */
  readonly observer: RunObserver = {
    sourceRequest: ({ endpoint, status, seconds }) => {
      const labels = { endpoint, status: String(status) };
      this.requests.inc(labels);
      this.requestDuration.observe(labels, seconds);
    },
    sourceRetry: ({ reason }) => this.retries.inc({ reason }),
    databaseWrite: ({ templateId, seconds, ok }) =>
      this.writeDuration.observe({ template_id: templateId, result: ok ? 'ok' : 'error' }, seconds),
    governor: ({ templateId, requestsPerSecond, concurrency }) => {
      const labels = { template_id: templateId ?? '' };
      this.governorRate.set(labels, requestsPerSecond);
      this.governorConcurrency.set(labels, concurrency);
    },
  };

  cycleFinished(
    result: 'success' | 'failure' | 'interrupted',
    seconds: number,
    consecutiveFailures: number,
    summary?: ExportSummary,
  ): void {
    this.cycles.inc({ result });
    this.cycleDuration.observe(seconds);
    this.consecutive.set(consecutiveFailures);
    for (const t of summary?.templates ?? []) {
      const labels = { template_id: t.templateId };
      if (t.status === 'skipped') {
        this.skipped.inc(labels);
        continue;
      }
      this.exported.inc(labels, t.counts.inserted + t.counts.updated);
      this.updated.inc(labels, t.counts.updated);
      this.deleted.inc(labels, t.counts.deleted);
      this.failed.inc(labels, t.counts.failed);
      this.failing.set(labels, t.counts.failed);
      if (t.status === 'completed' || t.status === 'completed_with_failures') {
        this.lastSuccess.set(labels, this.now() / 1000);
      }
    }
  }

  /** The cursors as stored (commit times), read after each cycle: the source of the lag gauge. */
  cursorsRead(cursors: ReadonlyMap<string, string>): void {
    for (const [templateId, time] of cursors) {
      const ms = Date.parse(time);
      if (Number.isFinite(ms)) this.cursorTimes.set(templateId, ms);
    }
  }

  private counter(name: string, help: string): Counter<'template_id'> {
    return new Counter({ name, help, labelNames: T, registers: [this.registry] });
  }
}
