import { openPrivacy } from '../content/index.js';
import type { AppContext } from '../context.js';
import { resetDemoDatabase } from '../demo/demo-database.js';
import type { SampleQuery } from '../demo/sample-queries.js';
import type { ExportSummary, ProgressSink } from '../export/index.js';
import { createOpenEhrClient } from '../openehr/index.js';
import { openStore, runQuery } from '../store/index.js';
import type { QueryResult } from '../util/table.js';
import { exportWith, planExport } from './export.js';

export interface DemoRunOptions {
  /** Keep the database of the previous run and export incrementally into it. */
  keep: boolean;
  progress: (ctx: AppContext) => ProgressSink;
  queries: SampleQuery[];
  /** Called once the database is open (and reset), before the export starts. */
  onReady?: () => void;
}

export interface DemoRunResult {
  summary: ExportSummary;
  /** Sample queries with their results; empty when the export did not complete. */
  results: Array<SampleQuery & QueryResult>;
}

/**
 * The demo after the simulator is up: opens the embedded database once (opening PGlite costs seconds), empties
 * it unless `keep`, brings the schema up to date, runs the same export as `atlas export` (`exportWith`, with the
 * verification the context asks for), then runs the sample queries on the result. Everything opened is closed
 * in reverse order.
 */
export async function runDemo(ctx: AppContext, opts: DemoRunOptions): Promise<DemoRunResult> {
  const job = planExport(ctx, { reconcile: false });
  const store = await openStore(ctx, { migrate: false });
  try {
    if (!opts.keep) await resetDemoDatabase(ctx, store);
    await store.migrate();
    const privacy = await openPrivacy(ctx, { forVerify: false });
    try {
      const client = createOpenEhrClient(ctx);
      try {
        opts.onReady?.();
        const summary = await exportWith(
          ctx,
          { client, privacy, target: { dryRun: false, store }, stored: store },
          job,
          { progress: opts.progress(ctx) },
        );
        const completed = summary.status === 'completed' || summary.status === 'completed_with_failures';
        const results: DemoRunResult['results'] = [];
        if (completed && !ctx.signal.aborted) {
          for (const q of opts.queries) {
            const { rows, fields } = await runQuery(store, q.sql);
            results.push({ ...q, fields, rows });
          }
        }
        return { summary, results };
      } finally {
        await client.close();
      }
    } finally {
      await privacy.close();
    }
  } finally {
    await store.close();
  }
}
