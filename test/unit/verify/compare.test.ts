import { describe, expect, it } from 'vitest';
import { comparePage, type LiveEntry, type Matched, reportMissing } from '../../../src/verify/compare.js';
import { formatVerifyReport, verifyOneLiner } from '../../../src/verify/report-text.js';
import { Reservoir } from '../../../src/verify/reservoir.js';
import { emptyIssues, type VerifyReport } from '../../../src/verify/types.js';

const sv = (id: string, version: number, over: { deleted?: boolean; ehrId?: string } = {}) => ({
  id,
  ehrId: over.ehrId ?? 'p(e1)',
  compositionUid: `${id}::s::${version}`,
  checksum: 'c',
  deleted: over.deleted ?? false,
});

describe('comparePage', () => {
  it('classifies extra, missing, stale, tombstoned and matched rows', () => {
    const live = new Map<string, LiveEntry>([
      ['ok', { ehrId: 'e1', uid: 'ok::s::1' }],
      ['old', { ehrId: 'e1', uid: 'old::s::3' }],
      ['tomb', { ehrId: 'e1', uid: 'tomb::s::1' }],
      ['moved', { ehrId: 'e2', uid: 'moved::s::1' }],
      ['absent', { ehrId: 'e1', uid: 'absent::s::1' }],
    ]);
    const issues = emptyIssues();
    const matched: Matched[] = [];
    const { storedLive } = comparePage(
      live,
      [
        sv('ok', 1),
        sv('old', 2),
        sv('tomb', 1, { deleted: true }),
        sv('moved', 1),
        sv('extra', 1),
        sv('gone', 1, { deleted: true }),
      ],
      (e) => `p(${e})`,
      issues,
      (m) => matched.push(m),
    );
    reportMissing(live, issues);
    expect(storedLive).toBe(4);
    expect(matched).toEqual([{ id: 'ok', ehrId: 'e1', uid: 'ok::s::1' }]);
    expect(issues.extra.examples.map((e) => e.id)).toEqual(['extra']);
    expect(issues.stale.examples.map((e) => [e.id, e.reason])).toEqual([
      ['old', undefined],
      ['moved', 'stored under another ehr_id'],
    ]);
    expect(issues.missing.examples.map((e) => e.id)).toEqual(['tomb', 'absent']);
    expect(issues.contentMismatch.count + issues.tampered.count).toBe(0);
  });
});

describe('Reservoir', () => {
  it('keeps at most `size` items, the same ones for the same seed', () => {
    const pick = (seed: number) => {
      const r = new Reservoir<number>(5, seed);
      for (let i = 0; i < 1000; i++) r.offer(i);
      return r.take();
    };
    expect(pick(7)).toHaveLength(5);
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).not.toEqual(pick(8));
    const small = new Reservoir<number>(5, 1);
    for (let i = 0; i < 3; i++) small.offer(i);
    expect(small.take()).toEqual([0, 1, 2]);
    expect(small.offered).toBe(3);
  });

  it('samples roughly uniformly', () => {
    const hits = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      const r = new Reservoir<number>(1, seed);
      for (let i = 0; i < 10; i++) r.offer(i);
      const [x] = r.take();
      hits[x ?? 0]!++;
    }
    for (const h of hits) expect(h).toBeGreaterThan(120);
  });
});

describe('formatVerifyReport', () => {
  it('lists differences by kind and says whether it is consistent', () => {
    const issues = emptyIssues();
    issues.missing = {
      count: 12,
      examples: Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, sourceUid: `m${i}::s::1` })),
    };
    const report: VerifyReport = {
      consistent: false,
      seed: 1,
      sample: 100,
      durationMs: 5,
      templates: [
        {
          templateId: 'T',
          sourceCount: 20,
          storedCount: 8,
          issues,
          contentChecked: 8,
          contentCandidates: 8,
          consistent: false,
        },
      ],
    };
    const text = formatVerifyReport(report);
    expect(text).toContain('sample of 100 per template (seed 1)');
    expect(text).toMatch(/T\s+20\s+8\s+12\s+0\s+0\s+0\s+0\s+8\/8\s+INCONSISTENT/);
    expect(text).toContain('T — missing (12):');
    expect(text).toContain('    - m0 (source m0::s::1)');
    expect(text).toContain('... and 2 more');
    expect(text).toContain('Result: source and target DIFFER');
    expect(verifyOneLiner(report)).toBe(
      'Verification: DIFFERENCES FOUND (missing 12, extra 0, stale 0, content differs 0, tampered 0)',
    );
    expect(formatVerifyReport({ ...report, consistent: true, templates: [] })).toContain('consistent.');
  });
});
