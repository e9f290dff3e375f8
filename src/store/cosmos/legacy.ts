import type { Logger } from '../../context.js';
import type { CosmosLayout } from './layout.js';

/**
 * Documents the original Atlas wrote: compositions keyed by the full version uid (`uuid::system::n`) with an
 * `atlas_metadata` object and no checksum, and watermarks `{template}_{ehr}` without a `type`. Atlas keys by
 * the versioned-object id, so it never updates them; it counts and reports them (docs/cosmosdb.md, "Taking
 * over a deployment of the original") and leaves them in place for the operator to remove.
 */
export async function countLegacyCompositions(layout: CosmosLayout, templateId: string): Promise<number> {
  const data = await layout.dataContainerForRead(templateId);
  if (!data) return 0;
  const { resources } = await data.items
    .query<number>(
      'SELECT VALUE COUNT(1) FROM c WHERE IS_DEFINED(c.atlas_metadata) AND NOT IS_DEFINED(c.checksum)',
    )
    .fetchAll();
  return resources.reduce((n, x) => n + Number(x), 0);
}

export async function countLegacyWatermarks(layout: CosmosLayout): Promise<number> {
  const { resources } = await layout.control.items
    .query<number>(
      'SELECT VALUE COUNT(1) FROM c WHERE NOT IS_DEFINED(c.type) AND IS_DEFINED(c.template_id) AND IS_DEFINED(c.last_exported_timestamp)',
    )
    .fetchAll();
  return resources.reduce((n, x) => n + Number(x), 0);
}

/** Logs once per run what of the original's deployment was found and what Atlas does with it. */
export async function reportLegacy(
  layout: CosmosLayout,
  templateIds: string[],
  logger: Logger,
): Promise<void> {
  const watermarks = await countLegacyWatermarks(layout);
  const compositions: Record<string, number> = {};
  for (const t of templateIds) {
    const n = await countLegacyCompositions(layout, t);
    if (n > 0) compositions[t] = n;
  }
  if (watermarks === 0 && Object.keys(compositions).length === 0) return;
  logger.warn(
    { legacyWatermarks: watermarks, legacyCompositions: compositions },
    'documents of the original Atlas found: they are left untouched and not counted as exported; Atlas ' +
      'writes its own documents (keyed by versioned-object id) beside them and exports from the start ' +
      '(the original watermarks cannot resume a commit-time cursor). Once `atlas verify` is consistent, ' +
      'remove them as docs/cosmosdb.md explains',
  );
}
