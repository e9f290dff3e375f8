import type { WatermarkStatus } from '../store/types.js';
import type { StatusReport } from './gather.js';

const STATUS_TEXT: Record<WatermarkStatus, string> = {
  completed: 'completed',
  in_progress: 'in progress',
  failed: 'failed',
  interrupted: 'interrupted',
  not_started: 'not started',
};
const FAILURES_LISTED = 10;

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** `2025-01-01T10:00:00.123456Z` → `2025-01-01 10:00:00`. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return iso.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, '');
}

/** The readable `atlas status` output. */
export function renderStatus(report: StatusReport, filtered: boolean): string {
  if (report.templates.length === 0 && report.watermarks.length === 0) {
    return filtered
      ? 'No export history matches the specified filters.\n'
      : "No export history found.\nRun 'atlas export' to start exporting data.\n";
  }
  const out: string[] = ['Templates:'];
  const templateRows = report.templates.map((t) => [
    t.templateId,
    t.cursor
      ? `${shortTime(t.cursor.time)}${t.cursor.mode === 'clinical_time' ? ' (clinical)' : ''}`
      : 'none',
    String(t.live),
    String(t.deleted),
    String(t.ehrs),
    String(t.failures),
    t.lastRun
      ? `#${t.lastRun.id} ${t.lastRun.status} ${shortTime(t.lastRun.finishedAt ?? t.lastRun.startedAt)}`
      : 'never',
  ]);
  out.push(
    ...table(['Template ID', 'Cursor', 'Live', 'Deleted', 'EHRs', 'Failures', 'Last run'], templateRows).map(
      (l) => `  ${l}`,
    ),
  );
  if (report.failures.length > 0) {
    out.push('', `Failed compositions (${report.failures.length}; retried first by the next export):`);
    for (const f of report.failures.slice(0, FAILURES_LISTED)) {
      out.push(
        `  - ${f.compositionUid} (EHR: ${f.ehrId}, Template: ${f.templateId}, attempts: ${f.attempts})`,
        `    Reason: ${f.reason}`,
      );
    }
    if (report.failures.length > FAILURES_LISTED)
      out.push(`  ... and ${report.failures.length - FAILURES_LISTED} more (--json lists all)`);
  }
  out.push('');
  if (report.watermarks.length === 0) {
    out.push('No watermarks match the specified filters.');
  } else {
    const more =
      report.watermarks.length >= report.limit ? ` (first ${report.limit}; --limit to see more)` : '';
    out.push(`Watermarks: ${report.watermarks.length}${more}`);
    const rows = report.watermarks.map((w) => [
      w.templateId,
      w.ehrId,
      STATUS_TEXT[w.lastExportStatus] ?? w.lastExportStatus,
      String(w.compositionsExportedCount),
      shortTime(w.lastExportCompletedAt),
    ]);
    out.push(
      ...table(['Template ID', 'EHR ID', 'Status', 'Count', 'Last Export'], rows).map((l) => `  ${l}`),
    );
  }
  return `${out.join('\n')}\n`;
}
