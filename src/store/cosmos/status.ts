import type { Container } from '@azure/cosmos';
import type { TemplateStatusRow } from '../types.js';
import { type CursorDocument, getCursor, type RunDocument } from './control.js';
import type { CosmosLayout } from './layout.js';

async function count(
  container: Container,
  query: string,
  parameters: Array<{ name: string; value: string }> = [],
) {
  const { resources } = await container.items.query<number>({ query, parameters }).fetchAll();
  // A cross-partition COUNT may come back as one partial count per partition range.
  return resources.reduce((n, x) => n + Number(x), 0);
}

/** Templates Atlas knows of: registered data containers, cursors and failure records. */
async function knownTemplates(layout: CosmosLayout): Promise<string[]> {
  const { resources } = await layout.control.items
    .query<{ template_id: string }>("SELECT c.template_id FROM c WHERE c.type IN ('cursor', 'failure')")
    .fetchAll();
  return [
    ...new Set([...(await layout.registeredTemplates()), ...resources.map((r) => r.template_id)]),
  ].sort();
}

/**
 * `atlas status` on Cosmos DB (the original's was a stub that always said "No export history found"):
 * per template its cursor, live and marked documents (two COUNT queries on its container), EHRs with live
 * documents (from the watermarks' live counts), failure records and the latest non-dry run.
 */
export async function templateStatus(
  layout: CosmosLayout,
  templateIds?: string[],
): Promise<TemplateStatusRow[]> {
  const control = layout.control;
  const templates = templateIds ?? (await knownTemplates(layout));
  const rows: TemplateStatusRow[] = [];
  for (const templateId of [...new Set(templates)].sort()) {
    const data = await layout.dataContainerForRead(templateId);
    const t = [{ name: '@t', value: templateId }];
    const live = data
      ? await count(
          data,
          'SELECT VALUE COUNT(1) FROM c WHERE IS_DEFINED(c.checksum) AND IS_NULL(c.deleted_at)',
        )
      : 0;
    const deleted = data
      ? await count(
          data,
          'SELECT VALUE COUNT(1) FROM c WHERE IS_DEFINED(c.checksum) AND IS_STRING(c.deleted_at)',
        )
      : 0;
    const ehrs = await count(
      control,
      "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'watermark' AND c.template_id = @t AND c.live_count > 0",
      t,
    );
    const failures = await count(
      control,
      "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'failure' AND c.template_id = @t",
      t,
    );
    const { resources: runs } = await control.items
      .query<RunDocument>({
        query:
          "SELECT TOP 1 * FROM c WHERE c.type = 'run' AND ARRAY_CONTAINS(c.template_ids, @t) AND c.dry_run = false ORDER BY c.run_id DESC",
        parameters: t,
      })
      .fetchAll();
    const run = runs[0];
    rows.push({
      templateId,
      cursor: await getCursor(control, templateId),
      live,
      deleted,
      failures,
      ehrs,
      lastRun: run
        ? { id: run.run_id, startedAt: run.started_at, finishedAt: run.finished_at, status: run.status }
        : null,
    });
  }
  return rows;
}

export type { CursorDocument };
