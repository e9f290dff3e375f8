import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type DiscoveryState, discoverChanges } from '../../../src/openehr/aql/discovery.js';
import type { AqlResult, AqlRunner, Page, QueryParameters } from '../../../src/openehr/aql/runner.js';
import { OpenEhrHttpError } from '../../../src/openehr/http/errors.js';
import type { ChangeRecord } from '../../../src/openehr/types.js';

/**
 * The discovery loop against an in-memory AQL runner (the runner is Atlas's own interface; HTTP is
 * covered by the integration tests against the simulator). This server cannot query VERSION, like an old
 * EHRbase, and holds persistent compositions without a start time.
 */
interface Row {
  ehrId: string;
  uid: string;
  start: string | null;
}

function oldServer(rows: Row[], log: string[]): AqlRunner {
  return {
    async query(q: string, params: QueryParameters, page: Page | undefined): Promise<AqlResult> {
      log.push(q);
      if (q.includes('VERSION')) {
        throw new OpenEhrHttpError('AQL query rejected: HTTP 400', {
          status: 400,
          serverMessage: 'Not implemented: FROM: VERSION is not supported',
        });
      }
      const since = typeof params.since === 'string' ? Date.parse(params.since) : undefined;
      const matching = rows
        .filter((r) => since === undefined || (r.start !== null && Date.parse(r.start) >= since))
        .sort((a, b) => {
          if (a.start === null || b.start === null) return a.start === null ? (b.start === null ? 0 : 1) : -1;
          return Date.parse(a.start) - Date.parse(b.start) || (a.uid < b.uid ? -1 : 1);
        });
      const slice = page ? matching.slice(page.offset, page.offset + page.fetch) : matching;
      return {
        columns: [],
        rows: slice.map((r) => [r.ehrId, r.uid, r.start]),
        appliedFetch: undefined,
        fetch: page?.fetch,
      };
    },
  };
}

function capture() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { logger, warnings: () => lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40) };
}

async function all(pages: AsyncIterable<ChangeRecord[]>) {
  const out: ChangeRecord[] = [];
  for await (const p of pages) out.push(...p);
  return out;
}

const rows: Row[] = [
  ...Array.from({ length: 9 }, (_, i) => ({
    ehrId: `e${i % 3}`,
    uid: `c${i}::sys::1`,
    start: `2024-0${1 + (i % 9)}-01T10:00:00+02:00`,
  })),
  { ehrId: 'e0', uid: 'p1::sys::1', start: null },
  { ehrId: 'e1', uid: 'p2::sys::3', start: null },
  { ehrId: 'e2', uid: 'p3::sys::1', start: null },
];

describe('clinical-time fallback', () => {
  it('falls back once, with one warning, and reports the mode', async () => {
    const log: string[] = [];
    const { logger, warnings } = capture();
    const state: DiscoveryState = { mode: 'commit_time', settled: false };
    const runner = oldServer(rows, log);
    const records = await all(discoverChanges(runner, state, logger, { templateId: 't', pageSize: 2 }));
    expect(state.mode).toBe('clinical_time');
    expect(records.map((r) => r.uid)).toEqual(rows.filter((r) => r.start).map((r) => r.uid));
    expect(records[0]).toEqual({
      ehrId: 'e0',
      uid: 'c0::sys::1',
      objectId: 'c0',
      version: 1,
      templateId: 't',
      time: '2024-01-01T10:00:00+02:00',
    });
    const fallbackWarnings = warnings().filter((w) => /clinical start time/.test(w.msg));
    expect(fallbackWarnings).toHaveLength(1);
    expect(fallbackWarnings[0]!.msg).toMatch(/back-dated/);

    // a second template: straight to clinical time, no new warning
    log.length = 0;
    await all(discoverChanges(runner, state, logger, { templateId: 't2', pageSize: 2 }));
    expect(log.every((q) => !q.includes('VERSION'))).toBe(true);
    expect(warnings().filter((w) => /clinical start time/.test(w.msg))).toHaveLength(1);
  });

  it('skips compositions returned without start_time with a counted warning', async () => {
    const { logger, warnings } = capture();
    const state: DiscoveryState = { mode: 'commit_time', settled: false };
    const records = await all(
      discoverChanges(oldServer(rows, []), state, logger, { templateId: 't', pageSize: 100 }),
    );
    expect(records).toHaveLength(9);
    expect(warnings().find((w) => /were skipped/.test(w.msg))?.count).toBe(3);
  });

  it('pages past null start times whatever the page size', async () => {
    const { logger } = capture();
    for (const pageSize of [1, 2, 3, 5]) {
      const state: DiscoveryState = { mode: 'commit_time', settled: false };
      const records = await all(
        discoverChanges(oldServer(rows, []), state, logger, { templateId: 't', pageSize }),
      );
      expect(records.map((r) => r.uid)).toEqual(rows.filter((r) => r.start).map((r) => r.uid));
    }
  });

  it('does not fall back on other errors, nor after commit-time discovery worked', async () => {
    const { logger } = capture();
    const failing: AqlRunner = {
      async query() {
        throw new OpenEhrHttpError('AQL query rejected: HTTP 400', {
          status: 400,
          serverMessage: 'Could not parse AQL query',
        });
      },
    };
    const state: DiscoveryState = { mode: 'commit_time', settled: false };
    await expect(
      all(discoverChanges(failing, state, logger, { templateId: 't', pageSize: 5 })),
    ).rejects.toThrow(/400/);
    expect(state.mode).toBe('commit_time');
    const settled: DiscoveryState = { mode: 'commit_time', settled: true };
    await expect(
      all(discoverChanges(oldServer(rows, []), settled, logger, { templateId: 't', pageSize: 5 })),
    ).rejects.toThrow(OpenEhrHttpError);
    expect(settled.mode).toBe('commit_time');
  });
});
