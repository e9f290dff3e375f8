import { describe, expect, it } from 'vitest';
import { planWindow } from '../../../src/export/plan.js';
import type { TemplateCursor } from '../../../src/store/types.js';

const cursor: TemplateCursor = {
  templateId: 't',
  time: '2024-05-01T12:00:00Z',
  uid: 'a::s::1',
  mode: 'commit_time',
};

describe('planWindow', () => {
  it('first incremental run (no cursor) exports everything and may move the cursor', () => {
    expect(planWindow({ mode: 'incremental', cursor: null, overlapSeconds: 300, ehrIds: [] })).toEqual({
      since: undefined,
      until: undefined,
      advanceCursor: true,
      skipStoredVersions: true,
    });
  });

  it('incremental run re-scans the overlap window before the cursor', () => {
    const w = planWindow({ mode: 'incremental', cursor, overlapSeconds: 300, ehrIds: [] });
    expect(w.since).toBe('2024-05-01T11:55:00Z');
    expect(w.advanceCursor).toBe(true);
    expect(w.skipStoredVersions).toBe(true);
  });

  it('a configured start later than cursor − overlap wins but leaves a gap: cursor frozen', () => {
    const later = planWindow({
      mode: 'incremental',
      cursor,
      overlapSeconds: 300,
      since: '2024-06-01T00:00:00Z',
      ehrIds: [],
    });
    expect(later.since).toBe('2024-06-01T00:00:00Z');
    expect(later.advanceCursor).toBe(false);
    const inside = planWindow({
      mode: 'incremental',
      cursor,
      overlapSeconds: 300,
      since: '2024-05-01T11:58:00Z',
      ehrIds: [],
    });
    expect(inside.since).toBe('2024-05-01T11:58:00Z');
    expect(inside.advanceCursor).toBe(true);
    const earlier = planWindow({
      mode: 'incremental',
      cursor,
      overlapSeconds: 300,
      since: '2024-01-01T00:00:00Z',
      ehrIds: [],
    });
    expect(earlier.since).toBe('2024-05-01T11:55:00Z');
  });

  it('full run ignores the cursor, fetches everything, keeps the bounds', () => {
    const w = planWindow({
      mode: 'full',
      cursor,
      overlapSeconds: 300,
      until: '2025-01-01T00:00:00Z',
      ehrIds: [],
    });
    expect(w).toEqual({
      since: undefined,
      until: '2025-01-01T00:00:00Z',
      advanceCursor: true,
      skipStoredVersions: false,
    });
  });

  it('an EHR filter never moves the per-template cursor', () => {
    expect(planWindow({ mode: 'incremental', cursor, overlapSeconds: 0, ehrIds: ['e1'] }).advanceCursor).toBe(
      false,
    );
    expect(planWindow({ mode: 'full', cursor: null, overlapSeconds: 0, ehrIds: ['e1'] }).advanceCursor).toBe(
      false,
    );
  });

  it('a first run with a configured start may set the cursor (the start is the chosen lower bound)', () => {
    const w = planWindow({
      mode: 'incremental',
      cursor: null,
      overlapSeconds: 60,
      since: '2024-01-01T00:00:00Z',
      ehrIds: [],
    });
    expect(w).toMatchObject({ since: '2024-01-01T00:00:00Z', advanceCursor: true });
  });
});
