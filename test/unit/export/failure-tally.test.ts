import { describe, expect, it } from 'vitest';
import { FailureTally, MAX_LISTED_FAILURES } from '../../../src/export/failure-tally.js';

const failure = (i: number) => ({
  id: `id${i}`,
  templateId: 'T',
  ehrId: 'e',
  compositionUid: `id${i}::s::1`,
  timeCommitted: '2024-01-01T00:00:00Z',
  reason: 'fetch: HTTP 500',
});

describe('FailureTally', () => {
  it('counts exactly but lists at most MAX_LISTED_FAILURES', () => {
    const tally = new FailureTally();
    for (let i = 0; i < MAX_LISTED_FAILURES + 50; i++) tally.add(failure(i));
    expect(tally.count).toBe(MAX_LISTED_FAILURES + 50);
    expect(tally.list()).toHaveLength(MAX_LISTED_FAILURES);
    tally.resolve('id0');
    tally.resolve(`id${MAX_LISTED_FAILURES + 10}`);
    expect(tally.count).toBe(MAX_LISTED_FAILURES + 48);
    expect(tally.list().map((f) => f.id)).not.toContain('id0');
  });

  it('a repeated failure is one failure, with its latest reason', () => {
    const tally = new FailureTally();
    tally.add(failure(1));
    tally.add({ ...failure(1), reason: 'transform: bad' });
    expect(tally.count).toBe(1);
    expect(tally.list()[0]?.reason).toBe('transform: bad');
  });
});
