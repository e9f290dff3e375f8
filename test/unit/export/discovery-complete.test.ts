import { describe, expect, it } from 'vitest';
import { type CompletedDiscovery, listsEveryLiveComposition } from '../../../src/export/discovery.js';
import { reconcileFindsNothing } from '../../../src/export/reconcile.js';

const complete: CompletedDiscovery = {
  mode: 'commit_time',
  skippedRows: 0,
  window: { advanceCursor: true, skipStoredVersions: false },
};

describe('listsEveryLiveComposition', () => {
  it('holds for an unbounded commit-time scan that skipped nothing', () => {
    expect(listsEveryLiveComposition(complete)).toBe(true);
  });

  it('does not hold for a scan that never completed', () => {
    expect(listsEveryLiveComposition(undefined)).toBe(false);
  });

  it('does not hold for a clinical-time scan (compositions without a start time are invisible to it)', () => {
    expect(listsEveryLiveComposition({ ...complete, mode: 'clinical_time' })).toBe(false);
  });

  it('does not hold when rows were skipped', () => {
    expect(listsEveryLiveComposition({ ...complete, skippedRows: 1 })).toBe(false);
  });

  it('does not hold for a window bounded on either side', () => {
    const since = { ...complete, window: { ...complete.window, since: '2020-01-01T00:00:00Z' } };
    const until = { ...complete, window: { ...complete.window, until: '2030-01-01T00:00:00Z' } };
    expect(listsEveryLiveComposition(since)).toBe(false);
    expect(listsEveryLiveComposition(until)).toBe(false);
  });
});

describe('reconcileFindsNothing', () => {
  const first = { storedBefore: false, retriedFailures: false, completeDiscovery: true };

  it('holds for a first export compared with its own complete discovery', () => {
    expect(reconcileFindsNothing(first)).toBe(true);
  });

  it('does not hold when the template had rows before the run (they may be gone at the source)', () => {
    expect(reconcileFindsNothing({ ...first, storedBefore: true })).toBe(false);
  });

  it('does not hold when earlier failures were retried (their rows were not listed by this discovery)', () => {
    expect(reconcileFindsNothing({ ...first, retriedFailures: true })).toBe(false);
  });

  it('does not hold when the discovery did not list every live composition (bounded, skipped rows, cut short)', () => {
    expect(reconcileFindsNothing({ ...first, completeDiscovery: false })).toBe(false);
  });
});
