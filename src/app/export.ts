import { openPrivacy, type PrivacyWiring } from '../content/index.js';
import type { AppContext } from '../context.js';
import {
  type ExportJob,
  type ExportRequest,
  type ExportSummary,
  type ExportTarget,
  exportJobOf,
  type ProgressSink,
  runExport,
} from '../export/index.js';
import { createOpenEhrClient } from '../openehr/index.js';
import type { OpenEhrClient } from '../openehr/types.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { afterExport } from './after-export.js';
import { openDryRunState } from './dry-run-state.js';

export interface ExportOptions {
  progress: ProgressSink;
}

/**
 * The run's job from the configuration and the request. Throws ConfigError (exit 2) when no template is
 * configured, so a command can call it before it asks, connects or opens anything.
 */
export function planExport(ctx: AppContext, request: ExportRequest): ExportJob {
  return exportJobOf(ctx.config, request);
}

/**
 * `atlas export`: opens the anonymisation tooling, the openEHR client and the store (migrated; a dry run only
 * reads, see openDryRunState), runs the export and what follows it (`exportWith`), and releases everything in
 * reverse order.
 */
export async function exportCompositions(
  ctx: AppContext,
  job: ExportJob,
  opts: ExportOptions,
): Promise<ExportSummary> {
  const privacy = await openPrivacy(ctx, { forVerify: false });
  try {
    const client = createOpenEhrClient(ctx);
    try {
      if (ctx.config.export.dryRun) {
        const { state, store } = await openDryRunState(ctx);
        try {
          const stored = state === store ? store : undefined;
          return await exportWith(
            ctx,
            { client, privacy, target: { dryRun: true, state }, stored },
            job,
            opts,
          );
        } finally {
          await store?.close();
        }
      }
      const store = await openStore(ctx);
      try {
        return await exportWith(
          ctx,
          { client, privacy, target: { dryRun: false, store }, stored: store },
          job,
          opts,
        );
      } finally {
        await store.close();
      }
    } finally {
      await client.close();
    }
  } finally {
    await privacy.close();
  }
}

export interface OpenExportResources {
  client: OpenEhrClient;
  privacy: PrivacyWiring;
  target: ExportTarget;
  /** The store holding Atlas's tables, when there is one to read the previous key fingerprint from. */
  stored?: Store;
}

/**
 * The one wiring of an export over open resources, shared by `atlas export` and `atlas demo`: refuse another
 * anonymisation key than the stored data's, run the engine (the audit log flushed after each batch, the key
 * fingerprint recorded with the run), attach the anonymisation dry-run report, then regenerate views and
 * verify as configured (`afterExport`, never after a dry run).
 */
export async function exportWith(
  ctx: AppContext,
  res: OpenExportResources,
  job: ExportJob,
  opts: ExportOptions,
): Promise<ExportSummary> {
  const { client, privacy, target, stored } = res;
  if (privacy.assertSameKey && stored) {
    const previous = await stored.lastKeyFingerprint();
    if (previous) privacy.assertSameKey(previous);
  }
  const summary = await runExport(
    ctx,
    {
      client,
      target,
      content: privacy.content,
      progress: opts.progress,
      afterWrite: privacy.afterWrite,
      runDetails: privacy.keyFingerprint
        ? { anonymization: { keyFingerprint: privacy.keyFingerprint } }
        : undefined,
    },
    job,
  );
  if (privacy.report) {
    summary.anonymizationReport = { json: privacy.report.toJSON(), text: privacy.report.renderText() };
  }
  if (!target.dryRun) await afterExport(ctx, { client, store: target.store }, summary);
  return summary;
}
