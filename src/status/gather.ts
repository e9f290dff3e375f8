import type {
  FailureRecord,
  Store,
  TemplateStatusRow,
  WatermarkRow,
  WatermarkStatus,
} from '../store/types.js';

export interface StatusFilter {
  templateIds?: string[];
  ehrId?: string;
  status?: WatermarkStatus;
  /** Watermarks shown (default 50). */
  limit?: number;
}

export interface StatusReport {
  templates: TemplateStatusRow[];
  failures: Array<FailureRecord & { attempts: number; lastFailedAt: string }>;
  watermarks: WatermarkRow[];
  /** Watermarks shown are capped by `limit`. */
  limit: number;
}

export const DEFAULT_WATERMARK_LIMIT = 50;

/** Everything `atlas status` shows, read in a few queries (no per-EHR round trips). */
export async function gatherStatus(store: Store, filter: StatusFilter): Promise<StatusReport> {
  const limit = filter.limit ?? DEFAULT_WATERMARK_LIMIT;
  const templateIds = filter.templateIds && filter.templateIds.length > 0 ? filter.templateIds : undefined;
  const templates = (await store.templateStatus(templateIds)).filter(
    (t) => !templateIds || t.cursor || t.live + t.deleted + t.failures > 0 || t.lastRun,
  );
  const failures = templateIds
    ? (await Promise.all(templateIds.map((t) => store.failures(t)))).flat()
    : await store.failures();
  const watermarks: WatermarkRow[] = [];
  for (const templateId of templateIds ?? [undefined]) {
    if (watermarks.length >= limit) break;
    const rows = await store.watermarks({
      templateId,
      ehrId: filter.ehrId,
      status: filter.status,
      limit: limit - watermarks.length,
    });
    watermarks.push(...rows);
  }
  return { templates, failures, watermarks, limit };
}
