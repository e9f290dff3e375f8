import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../src/status/gather.js';
import { renderStatus, shortTime } from '../../../src/status/render.js';

const report: StatusReport = {
  limit: 2,
  templates: [
    {
      templateId: 'IDCR - Vital Signs.v1',
      cursor: {
        templateId: 'IDCR - Vital Signs.v1',
        time: '2025-01-01T10:00:00.123456Z',
        uid: 'a::s::1',
        mode: 'commit_time',
      },
      live: 120,
      deleted: 3,
      failures: 1,
      ehrs: 40,
      lastRun: {
        id: 7,
        startedAt: '2025-01-02T00:00:00Z',
        finishedAt: '2025-01-02T00:01:00Z',
        status: 'completed_with_failures',
      },
    },
  ],
  failures: [
    {
      id: 'f1',
      templateId: 'IDCR - Vital Signs.v1',
      ehrId: 'e1',
      compositionUid: 'f1::s::2',
      timeCommitted: '2025-01-01T00:00:00Z',
      reason: 'fetch: HTTP 500',
      attempts: 2,
      lastFailedAt: '2025-01-02T00:00:00Z',
    },
  ],
  watermarks: [
    {
      id: 'IDCR - Vital Signs.v1::e1',
      templateId: 'IDCR - Vital Signs.v1',
      ehrId: 'e1',
      lastExportedTimestamp: '2025-01-01T00:00:00Z',
      lastExportedCompositionUid: 'x::s::1',
      compositionsExportedCount: 3,
      lastExportStartedAt: '2025-01-02T00:00:00Z',
      lastExportCompletedAt: '2025-01-02T00:01:00+00:00',
      lastExportStatus: 'interrupted',
    },
    {
      id: 'IDCR - Vital Signs.v1::e2',
      templateId: 'IDCR - Vital Signs.v1',
      ehrId: 'e2',
      lastExportedTimestamp: null,
      lastExportedCompositionUid: null,
      compositionsExportedCount: 0,
      lastExportStartedAt: null,
      lastExportCompletedAt: null,
      lastExportStatus: 'in_progress',
    },
  ],
};

describe('renderStatus', () => {
  it('shows templates with cursor, counts and last run; failures; watermarks', () => {
    const text = renderStatus(report, false);
    expect(text).toMatch(
      /IDCR - Vital Signs\.v1\s+2025-01-01 10:00:00\s+120\s+3\s+40\s+1\s+#7 completed_with_failures 2025-01-02 00:01:00/,
    );
    expect(text).toContain('Failed compositions (1; retried first by the next export):');
    expect(text).toContain('  - f1::s::2 (EHR: e1, Template: IDCR - Vital Signs.v1, attempts: 2)');
    expect(text).toContain('Watermarks: 2 (first 2; --limit to see more)');
    expect(text).toMatch(/Template ID\s+EHR ID\s+Status\s+Count\s+Last Export/);
    expect(text).toMatch(/e1\s+interrupted\s+3\s+2025-01-02 00:01:00/);
    expect(text).toMatch(/e2\s+in progress\s+0\s+never/);
  });

  it('says so when there is no history, or nothing matches', () => {
    const empty = { ...report, templates: [], failures: [], watermarks: [] };
    expect(renderStatus(empty, false)).toBe(
      "No export history found.\nRun 'atlas export' to start exporting data.\n",
    );
    expect(renderStatus(empty, true)).toBe('No export history matches the specified filters.\n');
    expect(renderStatus({ ...report, watermarks: [] }, true)).toContain(
      'No watermarks match the specified filters.',
    );
  });

  it('shortens timestamps', () => {
    expect(shortTime('2025-01-01T10:00:00.5+02:00')).toBe('2025-01-01 10:00:00');
    expect(shortTime(null)).toBe('never');
  });
});
