import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/errors.js';
import { InFlightIds } from '../../../src/export/in-flight-ids.js';
import { backoffDelay, dryRunSink, withAfterWrite, writeWithRetry } from '../../../src/export/sink.js';
import { WriteQueue } from '../../../src/export/write-queue.js';
import { type CommitOrder, EarlierBatchFailedError } from '../../../src/store/commit-order.js';
import type { BatchWrite, StoredVersion } from '../../../src/store/types.js';

const batch = (over: Partial<BatchWrite> = {}): BatchWrite => ({
  runId: 1,
  templateId: 'T',
  compositions: [],
  deletions: [],
  deletionPolicy: 'mark',
  failures: [],
  resolvedFailureIds: [],
  ...over,
});
const row = (id: string, uid: string, checksum: string) => ({
  id,
  ehrId: 'e',
  compositionUid: uid,
  templateId: 'T',
  timeCommitted: '2024-01-01T00:00:00Z',
  contentJson: '{}',
  exportMode: 'preserve' as const,
  checksum,
});

describe('backoffDelay', () => {
  it('uses the configured delays and repeats the last one', () => {
    const p = { maxRetries: 5, backoffMs: [10, 20, 40] };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(p, a))).toEqual([10, 20, 40, 40, 40]);
    expect(backoffDelay({ maxRetries: 1, backoffMs: [] }, 1)).toBe(0);
  });
});

describe('dryRunSink', () => {
  it('counts what the store would do, from stored uids and checksums', async () => {
    const stored = new Map<string, StoredVersion>([
      ['same', { id: 'same', ehrId: 'e', compositionUid: 'same::s::1', checksum: 'c1', deleted: false }],
      [
        'newver',
        { id: 'newver', ehrId: 'e', compositionUid: 'newver::s::1', checksum: 'c1', deleted: false },
      ],
      [
        'reformatted',
        {
          id: 'reformatted',
          ehrId: 'e',
          compositionUid: 'reformatted::s::1',
          checksum: 'old',
          deleted: false,
        },
      ],
      ['tomb', { id: 'tomb', ehrId: 'e', compositionUid: 'tomb::s::1', checksum: 'c1', deleted: true }],
      ['live', { id: 'live', ehrId: 'e', compositionUid: 'live::s::1', checksum: 'c1', deleted: false }],
      ['dead', { id: 'dead', ehrId: 'e', compositionUid: 'dead::s::1', checksum: 'c1', deleted: true }],
    ]);
    const sink = dryRunSink({
      getStoredVersions: async (ids) =>
        new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!]] : []))),
    });
    const result = await sink.write(
      batch({
        compositions: [
          row('fresh', 'fresh::s::1', 'c'),
          row('same', 'same::s::1', 'c1'),
          row('newver', 'newver::s::2', 'c2'),
          row('reformatted', 'reformatted::s::1', 'new'),
          row('tomb', 'tomb::s::1', 'c1'),
        ],
        deletions: [
          { id: 'live', ehrId: 'e' },
          { id: 'dead', ehrId: 'e' },
          { id: 'never', ehrId: 'e' },
        ],
      }),
    );
    expect(result).toEqual({ inserted: 1, updated: 3, unchanged: 1, deleted: 1 });
  });
});

describe('writeWithRetry', () => {
  const logger = pino({ level: 'silent' });
  function failing(times: number) {
    let calls = 0;
    const write = async () => {
      calls++;
      if (calls <= times) throw new Error(`db down ${calls}`);
      return 'written';
    };
    return { write, calls: () => calls };
  }

  it('retries the whole write and succeeds', async () => {
    const w = failing(2);
    const policy = { maxRetries: 3, backoffMs: [1] };
    await expect(
      writeWithRetry(w.write, 'batch', policy, logger, new AbortController().signal),
    ).resolves.toBe('written');
    expect(w.calls()).toBe(3);
  });

  it('gives up after max_retries with a connection error (exit 4)', async () => {
    const w = failing(10);
    const policy = { maxRetries: 2, backoffMs: [1] };
    const err = await writeWithRetry(w.write, 'batch', policy, logger, new AbortController().signal).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe('batch failed after 3 attempt(s): db down 3');
    expect(w.calls()).toBe(3);
  });

  it('does not start a retry once the run is shutting down', async () => {
    const w = failing(10);
    const ac = new AbortController();
    ac.abort();
    await expect(
      writeWithRetry(w.write, 'batch', { maxRetries: 5, backoffMs: [1] }, logger, ac.signal),
    ).rejects.toBeInstanceOf(ConnectionError);
    expect(w.calls()).toBe(1);
  });

  it('never retries a batch rolled back because the batch before it failed', async () => {
    let calls = 0;
    const write = async () => {
      calls++;
      throw new EarlierBatchFailedError('T');
    };
    await expect(
      writeWithRetry(write, 'batch', { maxRetries: 5, backoffMs: [1] }, logger, new AbortController().signal),
    ).rejects.toBeInstanceOf(EarlierBatchFailedError);
    expect(calls).toBe(1);
  });
});

describe('WriteQueue', () => {
  it('writes in order, one at a time, and stops at the first error', async () => {
    const order: string[] = [];
    let active = 0;
    const q = new WriteQueue(
      {
        writesInFlight: 1,
        async write(b) {
          active++;
          expect(active).toBe(1);
          await new Promise((r) => setTimeout(r, 2));
          active--;
          if (b.templateId === 'bad') throw new Error('nope');
          order.push(b.templateId);
          return { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
        },
      },
      (b) => order.push(`done ${b.write.templateId}`),
    );
    const wrap = (t: string) => ({ write: batch({ templateId: t }), skipped: 0, records: 0 });
    await q.push(wrap('a'));
    await q.push(wrap('b'));
    await q.push(wrap('bad'));
    await expect(q.push(wrap('c'))).rejects.toThrow('nope');
    await expect(q.drain()).rejects.toThrow('nope');
    expect(order).toEqual(['a', 'done a', 'b', 'done b']);
  });
});

describe('WriteQueue with two batches in flight', () => {
  /**
   * A sink that behaves like the store: the rows phase runs at once, then (with an order) it waits for the
   * batch before it and fails if that one failed; the test decides when each batch's rows phase ends.
   */
  function gatedSink() {
    const events: string[] = [];
    const release = new Map<string, () => void>();
    const orders = new Map<string, CommitOrder | undefined>();
    const sink = {
      writesInFlight: 2,
      async write(b: BatchWrite, order?: CommitOrder) {
        events.push(`start ${b.templateId}`);
        orders.set(b.templateId, order);
        await new Promise<void>((resolve) => release.set(b.templateId, resolve));
        if (b.templateId.startsWith('bad')) throw new Error(`${b.templateId} failed`);
        if (order && !(await order.previous)) throw new EarlierBatchFailedError(b.templateId);
        events.push(`commit ${b.templateId}`);
        return { inserted: b.compositions.length, updated: 0, unchanged: 0, deleted: 0 };
      },
    };
    return { sink, events, release, orders };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const wrap = (t: string, ids: string[] = [t]) => ({
    write: batch({ templateId: t, compositions: ids.map((id) => row(id, `${id}::s::1`, 'c')) }),
    skipped: 0,
    records: 0,
  });

  it('starts the next batch while one is in flight, ordered after it, and never a third', async () => {
    const { sink, events, release, orders } = gatedSink();
    const written: string[] = [];
    const q = new WriteQueue(sink, (b) => written.push(b.write.templateId));
    await q.push(wrap('a'));
    await q.push(wrap('b'));
    expect(events).toEqual(['start a', 'start b']);
    expect(orders.get('a')).toBeUndefined();
    expect(orders.get('b')).toBeDefined();
    const third = q.push(wrap('c'));
    await tick();
    expect(events).toEqual(['start a', 'start b']);
    // b's rows are done first, but it commits only after a.
    release.get('b')!();
    await tick();
    expect(events).toEqual(['start a', 'start b']);
    // Once a is done, c may start while b commits.
    release.get('a')!();
    await third;
    await tick();
    expect(events).toEqual(['start a', 'start b', 'commit a', 'start c', 'commit b']);
    release.get('c')!();
    await q.drain();
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('holds back a batch sharing an id with the one in flight until that one is done', async () => {
    const { sink, events, release, orders } = gatedSink();
    const q = new WriteQueue(sink, () => undefined);
    await q.push(wrap('a', ['x', 'y']));
    const second = q.push(wrap('b', ['y', 'z']));
    await tick();
    expect(events).toEqual(['start a']);
    release.get('a')!();
    await second;
    expect(events).toEqual(['start a', 'commit a', 'start b']);
    expect(orders.get('b')).toBeUndefined();
    release.get('b')!();
    await q.drain();
  });

  it('holds back a batch sharing an id with a batch in flight in another queue of the run', async () => {
    const { sink, events, release } = gatedSink();
    const running = new InFlightIds();
    const first = new WriteQueue(sink, () => undefined, running);
    const second = new WriteQueue(sink, () => undefined, running);
    await first.push(wrap('a', ['moved']));
    const pushed = second.push(wrap('b', ['moved', 'other']));
    await tick();
    expect(events).toEqual(['start a']);
    release.get('a')!();
    await pushed;
    expect(events).toEqual(['start a', 'commit a', 'start b']);
    release.get('b')!();
    await second.drain();
    await first.drain();
  });

  it('turns an error in the written callback into the queue error, and the next batch is not committed', async () => {
    const { sink, events, release } = gatedSink();
    const q = new WriteQueue(sink, (b) => {
      if (b.write.templateId === 'a') throw new Error('counting failed');
    });
    await q.push(wrap('a'));
    await q.push(wrap('b'));
    release.get('a')!();
    release.get('b')!();
    await expect(q.drain()).rejects.toThrow('counting failed');
    expect(events).toEqual(['start a', 'start b', 'commit a']);
  });

  it('reports the first failure and commits nothing after it', async () => {
    const { sink, events, release } = gatedSink();
    const written: string[] = [];
    const q = new WriteQueue(sink, (b) => written.push(b.write.templateId));
    await q.push(wrap('bad-a'));
    await q.push(wrap('b'));
    release.get('b')!();
    release.get('bad-a')!();
    await expect(q.drain()).rejects.toThrow('bad-a failed');
    await expect(q.push(wrap('c'))).rejects.toThrow('bad-a failed');
    expect(events).toEqual(['start bad-a', 'start b']);
    expect(written).toEqual([]);
  });
});

describe('withAfterWrite', () => {
  it('runs the hook after each successful write, never after a failed one', async () => {
    const events: string[] = [];
    let fail = false;
    const sink = withAfterWrite(
      {
        writesInFlight: 1,
        async write(b) {
          if (fail) throw new Error('write failed');
          events.push(`write ${b.templateId}`);
          return { inserted: 1, updated: 0, unchanged: 0, deleted: 0 };
        },
      },
      async () => {
        events.push('flush');
      },
    );
    await expect(sink.write(batch({ templateId: 'a' }))).resolves.toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
      deleted: 0,
    });
    fail = true;
    await expect(sink.write(batch({ templateId: 'b' }))).rejects.toThrow('write failed');
    expect(events).toEqual(['write a', 'flush']);
  });
});
