import { ISSUE_KINDS, type IssueKind, type VerifyReport } from './types.js';

const LABEL: Record<IssueKind, string> = {
  missing: 'Missing',
  extra: 'Extra',
  stale: 'Stale',
  contentMismatch: 'Content differs',
  tampered: 'Tampered',
};
const LISTED = 10;

/** The human-readable verification report (ids and version uids only, never content). */
export function formatVerifyReport(report: VerifyReport): string {
  const head = [
    'Template',
    'Source',
    'Stored',
    ...ISSUE_KINDS.map((k) => LABEL[k]),
    'Content checked',
    'Result',
  ];
  const rows = report.templates.map((t) => [
    t.templateId,
    String(t.sourceCount),
    String(t.storedCount),
    ...ISSUE_KINDS.map((k) => String(t.issues[k].count)),
    `${t.contentChecked}/${t.contentCandidates}`,
    t.consistent ? 'consistent' : 'INCONSISTENT',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const sampleNote =
    report.sample !== undefined
      ? `content of a sample of ${report.sample} per template (seed ${report.seed})`
      : 'content of every matching composition';
  const out = [
    '',
    `Verification: counts, ids and versions; ${sampleNote}`,
    `  ${line(head)}`,
    ...rows.map((r) => `  ${line(r)}`),
  ];
  for (const t of report.templates) {
    for (const kind of ISSUE_KINDS) {
      const { count, examples } = t.issues[kind];
      if (count === 0) continue;
      out.push(`  ${t.templateId} — ${LABEL[kind].toLowerCase()} (${count}):`);
      for (const e of examples.slice(0, LISTED)) {
        const versions = [e.sourceUid && `source ${e.sourceUid}`, e.storedUid && `stored ${e.storedUid}`]
          .filter(Boolean)
          .join(', ');
        out.push(`    - ${e.id}${versions ? ` (${versions})` : ''}${e.reason ? `: ${e.reason}` : ''}`);
      }
      if (count > LISTED) out.push(`    ... and ${count - LISTED} more (--json lists up to 50)`);
    }
  }
  out.push(
    '',
    report.consistent
      ? 'Result: source and target are consistent.'
      : 'Result: source and target DIFFER (see above).',
    '',
  );
  return out.join('\n');
}

/** One line for the export summary when verification runs after an export. */
export function verifyOneLiner(report: VerifyReport): string {
  const total = (k: IssueKind) => report.templates.reduce((n, t) => n + t.issues[k].count, 0);
  const parts = ISSUE_KINDS.map((k) => `${LABEL[k].toLowerCase()} ${total(k)}`).join(', ');
  return `Verification: ${report.consistent ? 'consistent' : 'DIFFERENCES FOUND'} (${parts})`;
}
