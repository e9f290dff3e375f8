import { setTimeout as sleep } from 'node:timers/promises';
import type { AtlasConfig } from '../config/types.js';
import type { AppContext, Logger } from '../context.js';
import { ConfigError, coerceError } from '../errors.js';
import type { ExportSummary } from '../export/types.js';
import type { RunObserver } from '../observer.js';
import { openStore } from '../store/index.js';
import { exportOnce } from './sync-export.js';
import { nextDelayMs } from './sync-schedule.js';

export type CycleResult = 'success' | 'failure' | 'interrupted';

/** What the service around the loop (metrics, /readyz) learns from it. */
export interface SyncListener {
  cycleFinished(
    result: CycleResult,
    seconds: number,
    consecutiveFailures: number,
    summary?: ExportSummary,
  ): void;
  cursorsRead(cursors: ReadonlyMap<string, string>): void;
  databaseReached(ok: boolean, error?: string): void;
}

export interface SyncOptions {
  once: boolean;
  reconcile: boolean;
  /** Loads the configuration again (SIGHUP); a rejected configuration keeps the running one. */
  reload: () => Promise<AtlasConfig>;
  listener: SyncListener;
  observer?: RunObserver;
  random?: () => number;
  now?: () => number;
}

/**
 * The cycle's configuration: always an incremental run; a template another instance holds is skipped at
 * once (lock "fail") and taken at a later cycle instead of blocking this one; the templates start at a
 * different one each cycle (`offset`), so with several instances none is always last in line.
 */
export function cycleConfig(config: AtlasConfig, offset: number): AtlasConfig {
  const ids = config.openehr.query.templateIds;
  const start = ids.length === 0 ? 0 : offset % ids.length;
  const rotated = [...ids.slice(start), ...ids.slice(0, start)];
  return {
    ...config,
    openehr: { ...config.openehr, query: { ...config.openehr.query, templateIds: rotated } },
    export: { ...config.export, mode: 'incremental', lockMode: 'fail' },
  };
}

/** Refuses configurations a service cannot run (checked at start and on every reload). */
export function checkSyncConfig(config: AtlasConfig): void {
  if (config.openehr.query.templateIds.length === 0) {
    throw new ConfigError(
      'atlas sync needs the templates to follow: set openehr.query.template_ids (or --template-id)',
    );
  }
  if (config.export.dryRun) {
    throw new ConfigError(
      'atlas sync writes every cycle and has no dry run: remove export.dry_run / anonymization.dry_run ' +
        '(use `atlas export --dry-run` to preview)',
    );
  }
}

function classify(summary: ExportSummary, aborted: boolean): CycleResult {
  if (aborted || summary.status === 'interrupted') return 'interrupted';
  if (summary.error || summary.status === 'failed') return 'failure';
  return summary.templates.some((t) => t.status === 'failed') ? 'failure' : 'success';
}

/**
 * `atlas sync`: incremental export cycles until the signal aborts (SIGTERM/SIGINT), one with `once`. A cycle
 * that fails is logged and counted, and the next one waits longer (backoff); it never stops the service.
 * The abort lets the batch in flight commit or roll back (as `atlas export` does), then the loop returns.
 * SIGHUP (`requestReload`) reloads the configuration before the next cycle, which starts at once.
 */
export class SyncLoop {
  private config: AtlasConfig;
  private reloadWanted = false;
  private wake = new AbortController();
  private consecutiveFailures = 0;
  private readonly offset: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: SyncOptions,
  ) {
    checkSyncConfig(ctx.config);
    this.config = ctx.config;
    const random = opts.random ?? Math.random;
    // Instances started together begin at different templates.
    this.offset = Math.floor(random() * 1_000_000);
  }

  get failuresInARow(): number {
    return this.consecutiveFailures;
  }

  /** The configuration in force (the reloaded one after SIGHUP). */
  get currentConfig(): AtlasConfig {
    return this.config;
  }

  requestReload(): void {
    this.reloadWanted = true;
    this.wake.abort();
  }

  async run(): Promise<void> {
    const { signal, logger } = this.ctx;
    const random = this.opts.random ?? Math.random;
    for (let cycle = 1; !signal.aborted; cycle++) {
      if (this.reloadWanted) await this.reload(logger);
      const result = await this.cycle(cycle);
      if (this.opts.once || signal.aborted) return;
      const s = this.config.sync;
      const delay = nextDelayMs(s.intervalSeconds, this.consecutiveFailures, s.maxBackoffSeconds, random);
      logger.info(
        { cycle, result, nextInSeconds: Math.round(delay / 100) / 10 },
        'next sync cycle scheduled',
      );
      await this.pause(delay);
    }
  }

  private async cycle(cycle: number): Promise<CycleResult> {
    const { logger, signal } = this.ctx;
    const now = this.opts.now ?? Date.now;
    const started = now();
    const cycleLog = logger.child({ cycle });
    const ctx: AppContext = {
      config: cycleConfig(this.config, this.offset + cycle),
      logger: cycleLog,
      signal,
      observer: this.opts.observer,
    };
    let summary: ExportSummary | undefined;
    let result: CycleResult;
    try {
      summary = await exportOnce(ctx, { reconcile: this.opts.reconcile });
      result = classify(summary, signal.aborted);
    } catch (err) {
      result = signal.aborted ? 'interrupted' : 'failure';
      cycleLog.error({ err: coerceError(err).message }, 'sync cycle failed');
    }
    if (result === 'failure') this.consecutiveFailures++;
    else if (result === 'success') this.consecutiveFailures = 0;
    const seconds = (now() - started) / 1000;
    this.opts.listener.cycleFinished(result, seconds, this.consecutiveFailures, summary);
    cycleLog.info(
      {
        result,
        durationMs: Math.round(seconds * 1000),
        consecutiveFailures: this.consecutiveFailures,
        ...(summary?.error ? { error: summary.error.message } : {}),
        templates: summary?.templates.map((t) => ({
          templateId: t.templateId,
          status: t.status,
          inserted: t.counts.inserted,
          updated: t.counts.updated,
          deleted: t.counts.deleted,
          failed: t.counts.failed,
          ...(t.error ? { error: t.error } : {}),
        })),
      },
      'sync cycle finished',
    );
    if (!signal.aborted) await this.readCursors(ctx);
    return result;
  }

  /** The stored cursors (for the lag gauge); also the embedded database's reachability for /readyz. */
  private async readCursors(ctx: AppContext): Promise<void> {
    try {
      const store = await openStore({ ...ctx, signal: new AbortController().signal }, { migrate: false });
      try {
        const cursors = new Map<string, string>();
        for (const templateId of ctx.config.openehr.query.templateIds) {
          const c = await store.getCursor(templateId);
          if (c) cursors.set(templateId, c.time);
        }
        this.opts.listener.cursorsRead(cursors);
        this.opts.listener.databaseReached(true);
      } finally {
        await store.close();
      }
    } catch (err) {
      this.opts.listener.databaseReached(false, coerceError(err).message);
      ctx.logger.warn({ err: coerceError(err).message }, 'could not read the cursors after the cycle');
    }
  }

  private async reload(logger: Logger): Promise<void> {
    this.reloadWanted = false;
    try {
      const next = await this.opts.reload();
      checkSyncConfig(next);
      this.config = next;
      logger.info('configuration reloaded (SIGHUP); sync.listen changes need a restart');
    } catch (err) {
      logger.error(
        { err: coerceError(err).message },
        'configuration reload failed; keeping the running configuration',
      );
    }
  }

  /** Waits `ms`, cut short by shutdown or SIGHUP. */
  private async pause(ms: number): Promise<void> {
    if (this.reloadWanted) return;
    this.wake = new AbortController();
    try {
      await sleep(ms, undefined, { signal: AbortSignal.any([this.ctx.signal, this.wake.signal]) });
    } catch {
      // Woken early: shutdown or reload; the loop decides.
    }
  }
}
