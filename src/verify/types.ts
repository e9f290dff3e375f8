/** One difference between source and target, identified by versioned-object id (no content). */
export interface VerifyIssue {
  id: string;
  /** Version uid in the source (absent for an extra row). */
  sourceUid?: string;
  /** Version uid stored (absent for a missing row). */
  storedUid?: string;
  reason?: string;
}

export type IssueKind = 'missing' | 'extra' | 'stale' | 'contentMismatch' | 'tampered';

export const ISSUE_KINDS: readonly IssueKind[] = ['missing', 'extra', 'stale', 'contentMismatch', 'tampered'];

export interface TemplateVerification {
  templateId: string;
  /** Live compositions in the source. */
  sourceCount: number;
  /** Live rows in the target. */
  storedCount: number;
  /** Issues per kind: the count, and the first few ids. */
  issues: Record<IssueKind, { count: number; examples: VerifyIssue[] }>;
  /** Compositions whose content was compared (all matching ones, or the sample). */
  contentChecked: number;
  /** Matching compositions the content comparison could have covered. */
  contentCandidates: number;
  consistent: boolean;
}

export interface VerifyReport {
  consistent: boolean;
  sample?: number;
  seed: number;
  durationMs: number;
  templates: TemplateVerification[];
}

export const MAX_EXAMPLES = 50;

export function emptyIssues(): TemplateVerification['issues'] {
  return {
    missing: { count: 0, examples: [] },
    extra: { count: 0, examples: [] },
    stale: { count: 0, examples: [] },
    contentMismatch: { count: 0, examples: [] },
    tampered: { count: 0, examples: [] },
  };
}

export function addIssue(issues: TemplateVerification['issues'], kind: IssueKind, issue: VerifyIssue): void {
  const bucket = issues[kind];
  bucket.count++;
  if (bucket.examples.length < MAX_EXAMPLES) bucket.examples.push(issue);
}
