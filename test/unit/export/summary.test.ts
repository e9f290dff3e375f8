import { describe, expect, it } from 'vitest';
import { exitCodeOf, runStatusOf, toRunRecord, totalsOf } from '../../../src/export/summary.js';
import { formatSummary, ratePerSecond } from '../../../src/export/summary-text.js';
import { type ExportSummary, emptyCounts, type TemplateSummary } from '../../../src/export/types.js';

const tpl = (status: TemplateSummary['status'], over: Partial<TemplateSummary> = {}): TemplateSummary => ({
  templateId: `T-${status}`,
  status,
  counts: { ...emptyCounts(), discovered: 10, inserted: 4, updated: 3, unchanged: 3 },
  failures: [],
  ...over,
});
const summary = (over: Partial<ExportSummary>): ExportSummary => ({
  mode: 'incremental',
  dryRun: false,
  reconcile: false,
  status: 'completed',
  startedAt: '2024-01-01T00:00:00.000Z',
  durationMs: 2000,
  templates: [tpl('completed')],
  ...over,
});

describe('run status and exit code', () => {
  it('maps template outcomes to the run status', () => {
    expect(runStatusOf([tpl('completed')], false)).toBe('completed');
    expect(runStatusOf([tpl('completed'), tpl('completed_with_failures')], false)).toBe(
      'completed_with_failures',
    );
    expect(runStatusOf([tpl('failed')], false)).toBe('completed_with_failures');
    expect(runStatusOf([tpl('skipped')], false)).toBe('completed_with_failures');
    expect(runStatusOf([tpl('completed')], false, new Error('x'))).toBe('failed');
    expect(runStatusOf([tpl('completed')], true, new Error('x'))).toBe('interrupted');
  });

  it('follows the documented exit codes', () => {
    expect(exitCodeOf(summary({}), 130)).toBe(0);
    expect(exitCodeOf(summary({ status: 'completed_with_failures' }), 130)).toBe(1);
    expect(exitCodeOf(summary({ status: 'interrupted' }), 143)).toBe(143);
    expect(exitCodeOf(summary({ status: 'interrupted' }), 130)).toBe(130);
    expect(exitCodeOf(summary({ status: 'failed', error: { message: 'auth', exitCode: 3 } }), 130)).toBe(3);
    expect(exitCodeOf(summary({ status: 'failed', error: { message: 'db', exitCode: 4 } }), 130)).toBe(4);
    expect(exitCodeOf(summary({ verification: { consistent: false, summary: '' } }), 130)).toBe(1);
    expect(exitCodeOf(summary({ verification: { consistent: true, summary: '' } }), 130)).toBe(0);
  });
});

describe('totals and run record', () => {
  it('adds up the templates', () => {
    const t = totalsOf([
      tpl('completed'),
      tpl('completed', { counts: { ...emptyCounts(), deleted: 2, failed: 1, retried: 1 } }),
    ]);
    expect(t).toMatchObject({ discovered: 10, written: 7, unchanged: 3, deleted: 2, failed: 1, retried: 1 });
    const rec = toRunRecord(summary({ status: 'completed_with_failures', error: undefined }));
    expect(rec).toMatchObject({
      status: 'completed_with_failures',
      compositionsWritten: 7,
      compositionsUnchanged: 3,
    });
    expect(rec.error).toBeUndefined();
  });
});

describe('formatSummary', () => {
  it('shows the per-template table, rate, failures and the closing line', () => {
    const failures = Array.from({ length: 12 }, (_, i) => ({
      id: `id${i}`,
      compositionUid: `id${i}::s::1`,
      ehrId: `e${i}`,
      templateId: 'T-completed_with_failures',
      reason: 'fetch: HTTP 500',
    }));
    const text = formatSummary(
      summary({
        runId: 42,
        status: 'completed_with_failures',
        templates: [
          tpl('completed_with_failures', {
            failures,
            counts: { ...emptyCounts(), discovered: 10, failed: 12 },
          }),
        ],
      }),
    );
    expect(text).toContain('Export summary — run 42, mode incremental');
    expect(text).toMatch(/Template\s+Found\s+Inserted\s+Updated\s+Unchanged\s+Deleted\s+Failed\s+Status/);
    expect(text).toContain('Duration: 2.00s (5.0 compositions/s)');
    expect(text).toContain('Failed compositions (12; recorded, retried first by the next run):');
    expect(text).toContain('  - id0::s::1 (EHR: e0, Template: T-completed_with_failures)');
    expect(text).toContain('... and 2 more');
    expect(text).toContain('Export completed with failures');
  });

  it('says what a dry run would do and what an interruption means', () => {
    const dry = formatSummary(summary({ dryRun: true }));
    expect(dry).toContain('DRY RUN: nothing was written');
    expect(dry).toContain('Would insert');
    const stopped = formatSummary(summary({ status: 'interrupted' }));
    expect(stopped).toContain('run the same command to resume');
  });

  it('reports regenerated views and views left alone', () => {
    const text = formatSummary(
      summary({
        views: {
          regenerated: ['T-a'],
          failed: [{ templateId: 'T-b', error: 'a view of yours depends on it' }],
        },
      }),
    );
    expect(text).toContain('Views regenerated: T-a');
    expect(text).toContain('Views of T-b left as they were: a view of yours depends on it');
  });

  it('summarises the request governor in one line and in the run record', () => {
    const calm = {
      maxRequestsPerSecond: null,
      concurrency: { max: 8, min: 8, final: 8 },
      decreases: { latency: 0, overload: 0 },
      increases: 0,
      pauses: 0,
      pausedMs: 0,
    };
    expect(formatSummary(summary({ governor: calm }))).toContain(
      'Governor: no rate limit, concurrency 8 of 8 throughout',
    );
    const busy = {
      ...calm,
      maxRequestsPerSecond: 50,
      concurrency: { max: 8, min: 1, final: 6 },
      decreases: { latency: 1, overload: 3 },
      increases: 9,
      pauses: 2,
      pausedMs: 2500,
    };
    expect(formatSummary(summary({ governor: busy }))).toContain(
      'Governor: at most 50 requests/s, concurrency 6 of 8 at the end, lowest 1 (cut 3× for 429/503, 1× for ' +
        'latency; grown back 9×); 2 Retry-After pauses (2.5 s)',
    );
    expect(toRunRecord(summary({ governor: busy })).details).toMatchObject({ governor: busy });
  });

  it('computes a rate without dividing by zero', () => {
    expect(ratePerSecond(100, 0)).toBe(0);
    expect(ratePerSecond(100, 500)).toBe(200);
  });
});
