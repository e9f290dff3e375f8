import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '../../../src/export/batch-builder.js';
import type { ChangeRecord } from '../../../src/openehr/types.js';
import type { CompositionRow } from '../../../src/store/types.js';

const rec = (objectId: string, time: string, ehrId = 'ehr-1'): ChangeRecord => ({
  ehrId,
  uid: `${objectId}::sys::1`,
  objectId,
  version: 1,
  templateId: 'T',
  time,
});
const row = (r: ChangeRecord): CompositionRow => ({
  id: r.objectId,
  ehrId: r.ehrId,
  compositionUid: r.uid,
  templateId: 'T',
  timeCommitted: r.time,
  contentJson: '{}',
  exportMode: 'preserve',
  checksum: 'c',
});

function builder(open: string[] = []) {
  const b = new BatchBuilder({
    runId: 7,
    templateId: 'T',
    deletionPolicy: 'mark',
    storedEhrId: (id) => `p(${id})`,
  });
  b.markOpen(open);
  return { b, openFailures: b.openFailureIds };
}

describe('BatchBuilder', () => {
  it('collects rows, deletions and failures in one write and tracks the last position', () => {
    const { b, openFailures } = builder(['gone', 'ok']);
    const r1 = rec('ok', '2024-01-01T00:00:01Z');
    const r2 = rec('gone', '2024-01-01T00:00:02Z');
    const r3 = rec('bad', '2024-01-01T00:00:03Z');
    const r4 = rec('same', '2024-01-01T00:00:04Z');
    b.add({ kind: 'row', record: r1, row: row(r1) }, 'commit_time');
    b.add({ kind: 'gone', record: r2, status: 'deleted' }, 'commit_time');
    b.add({ kind: 'failed', record: r3, reason: 'fetch: HTTP 500' }, 'commit_time');
    b.add({ kind: 'skipped', record: r4 }, 'commit_time');
    expect(b.size).toBe(4);
    const batch = b.cut();
    expect(batch.records).toBe(4);
    expect(batch.skipped).toBe(1);
    expect(batch.write).toMatchObject({ runId: 7, templateId: 'T', deletionPolicy: 'mark' });
    expect(batch.write.compositions.map((c) => c.id)).toEqual(['ok']);
    expect(batch.write.deletions).toEqual([{ id: 'gone', ehrId: 'p(ehr-1)' }]);
    expect(batch.write.failures).toEqual([
      {
        id: 'bad',
        templateId: 'T',
        ehrId: 'p(ehr-1)',
        compositionUid: 'bad::sys::1',
        timeCommitted: '2024-01-01T00:00:03Z',
        reason: 'fetch: HTTP 500',
      },
    ]);
    expect(batch.write.resolvedFailureIds.sort()).toEqual(['gone', 'ok']);
    expect(batch.write.cursor).toBeUndefined();
    expect(batch.lastPosition).toEqual({
      templateId: 'T',
      time: '2024-01-01T00:00:04Z',
      uid: 'same::sys::1',
      mode: 'commit_time',
    });
    expect([...openFailures]).toEqual(['bad']);
    expect(b.size).toBe(0);
  });

  it('a failure recorded in one batch is resolved by a later one', () => {
    const { b } = builder();
    const r = rec('x', '2024-01-01T00:00:01Z');
    b.add({ kind: 'failed', record: r, reason: 'boom' }, 'commit_time');
    expect(b.cut().write.failures).toHaveLength(1);
    b.add({ kind: 'row', record: r, row: row(r) }, 'commit_time');
    expect(b.cut().write.resolvedFailureIds).toEqual(['x']);
  });

  it('never sends the same id as both failed and resolved', () => {
    const { b } = builder(['x']);
    const r = rec('x', '2024-01-01T00:00:01Z');
    b.add({ kind: 'row', record: r, row: row(r) }, 'commit_time');
    b.add({ kind: 'failed', record: r, reason: 'boom' }, 'commit_time');
    const w1 = b.cut().write;
    expect(w1.resolvedFailureIds).toEqual([]);
    expect(w1.failures.map((f) => f.id)).toEqual(['x']);
    b.add({ kind: 'failed', record: r, reason: 'boom' }, 'commit_time');
    b.add({ kind: 'row', record: r, row: row(r) }, 'commit_time');
    const w2 = b.cut().write;
    expect(w2.failures).toEqual([]);
    expect(w2.resolvedFailureIds).toEqual(['x']);
  });

  it('puts the cursor it is given on the cut batch, and only that one', () => {
    const { b } = builder();
    const r = rec('x', '2024-01-01T00:00:01Z');
    b.add({ kind: 'row', record: r, row: row(r) }, 'commit_time');
    const cursor = b.lastPosition!;
    expect(cursor).toEqual({ templateId: 'T', time: r.time, uid: r.uid, mode: 'commit_time' });
    expect(b.cut(cursor).write.cursor).toEqual(cursor);
    expect(b.lastPosition).toBeUndefined();
    expect(b.cut().write.cursor).toBeUndefined();
  });

  it('deletions found by the reconcile resolve their open failure records', () => {
    const { b, openFailures } = builder(['gone', 'other']);
    b.addDeletions([
      { id: 'gone', ehrId: 'p(ehr-1)' },
      { id: 'never-failed', ehrId: 'p(ehr-2)' },
    ]);
    const w = b.cut().write;
    expect(w.deletions.map((d) => d.id)).toEqual(['gone', 'never-failed']);
    expect(w.resolvedFailureIds).toEqual(['gone']);
    expect([...openFailures]).toEqual(['other']);
  });

  it('advance keeps the later cursor', () => {
    const cur = { templateId: 'T', time: '2024-01-02T00:00:00Z', uid: 'a', mode: 'commit_time' as const };
    const pos = { ...cur, time: '2024-01-01T00:00:00Z' };
    expect(BatchBuilder.advance(cur, pos)).toBe(cur);
    expect(BatchBuilder.advance(null, pos)).toBe(pos);
    expect(BatchBuilder.advance(cur, undefined)).toBe(cur);
  });
});
