import { requireTemplateIds } from '../config/index.js';
import type { AppContext } from '../context.js';
import { createOpenEhrClient } from '../openehr/index.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { openDryRunState } from './dry-run-state.js';
import { runExport } from './engine.js';
import { afterExport } from './post-export.js';
import { openPrivacy } from './privacy-wiring.js';
import type { StateReader } from './state.js';
import type { ExportSummary, ProgressSink } from './types.js';

export interface ExportCommandOptions {
  reconcile: boolean;
  progress: ProgressSink;
}

/** Whether this run writes nothing: `--dry-run`/`export.dry_run`, or an anonymisation dry run (never writes). */
export function isDryRun(ctx: AppContext): boolean {
  const { config } = ctx;
  return config.export.dryRun || (config.anonymization.enabled && config.anonymization.dryRun);
}

/**
 * `atlas export` behind the command line: opens the openEHR client, the store (migrated; a dry run
 * only reads) and the privacy tooling, runs the engine, then the optional views and verification, and
 * releases everything in reverse order.
 */
export async function exportCommand(ctx: AppContext, opts: ExportCommandOptions): Promise<ExportSummary> {
  // Checked before anything is opened: a run without templates would only record an empty export run.
  requireTemplateIds(ctx.config);
  const dryRun = isDryRun(ctx);
  const privacy = await openPrivacy(ctx, { forVerify: false });
  try {
    const client = createOpenEhrClient(ctx);
    try {
      let store: Store | undefined;
      let state: StateReader;
      if (dryRun) {
        ({ state, store } = await openDryRunState(ctx));
      } else {
        store = await openStore(ctx);
        state = store;
      }
      try {
        if (privacy.assertSameKey && store && state === store) {
          const previous = await store.lastKeyFingerprint();
          if (previous) privacy.assertSameKey(previous);
        }
        const summary = await runExport(
          ctx,
          {
            client,
            store,
            state,
            content: privacy.content,
            progress: opts.progress,
            afterWrite: privacy.afterWrite,
            runDetails: privacy.keyFingerprint
              ? { anonymization: { keyFingerprint: privacy.keyFingerprint } }
              : undefined,
          },
          { reconcile: opts.reconcile, dryRun },
        );
        if (privacy.report) {
          summary.anonymizationReport = { json: privacy.report.toJSON(), text: privacy.report.renderText() };
        }
        if (!dryRun && store) await afterExport(ctx, { client, store }, summary);
        return summary;
      } finally {
        await store?.close();
      }
    } finally {
      await client.close();
    }
  } finally {
    await privacy.close();
  }
}
