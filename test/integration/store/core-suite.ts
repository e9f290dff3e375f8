import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import { batch, compositionRow, freshTemplate } from './rows.js';

/**
 * The behaviour every store must show, run against PostgreSQL and the embedded database alike.
 * `get()` returns the open store (opened once per file by the caller).
 */
export function coreStoreSuite(get: () => Store): void {
  async function newRun(templateIds: string[]): Promise<number> {
    return get().startRun({ mode: 'incremental', templateIds, dryRun: false });
  }

  async function rowsOf(templateId: string) {
    const { rows } = await get().query<{
      id: string;
      composition_uid: string;
      deleted: boolean;
      content: Record<string, unknown>;
      xmin: string;
      atlas_version: string;
    }>(
      `SELECT id, composition_uid, deleted_at IS NOT NULL AS deleted, content, xmin::text AS xmin, atlas_version
         FROM compositions WHERE template_id = $1 ORDER BY id`,
      [templateId],
    );
    return rows;
  }

  describe('batch write', () => {
    it('round-trips compositions: content as jsonb objects, versions and checksums readable', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const rows = [0, 1, 2].map((n) => compositionRow(t, { n }));
      const result = await get().writeBatch(batch(run, t, { compositions: rows }));
      expect(result).toEqual({ inserted: 3, updated: 0, unchanged: 0, deleted: 0 });

      const stored = await rowsOf(t);
      expect(stored.map((r) => r.id)).toEqual(rows.map((r) => r.id).sort());
      for (const r of stored) {
        const source = rows.find((x) => x.id === r.id)!;
        // An object, not a JSON string scalar: the text was parsed once by the server.
        expect(r.content).toEqual(JSON.parse(source.contentJson));
        expect(r.atlas_version).toMatch(/^\d+\.\d+\.\d+/);
      }
      expect(await get().hasStoredRows(t)).toBe(true);
      expect(await get().hasStoredRows(freshTemplate())).toBe(false);
      const versions = await get().getStoredVersions([...rows.map((r) => r.id), randomUUID()]);
      expect(versions.size).toBe(3);
      expect(versions.get(rows[1]!.id)).toEqual({
        id: rows[1]!.id,
        ehrId: rows[1]!.ehrId,
        compositionUid: rows[1]!.compositionUid,
        checksum: rows[1]!.checksum,
        deleted: false,
      });
      const contents = await get().getContents([rows[0]!.id]);
      expect(JSON.parse(contents.get(rows[0]!.id)!.contentJson)).toEqual(JSON.parse(rows[0]!.contentJson));
      expect(contents.get(rows[0]!.id)!.checksum).toBe(rows[0]!.checksum);
    });

    it('leaves unchanged rows alone (no new tuple) and counts them as unchanged', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const rows = [0, 1].map((n) => compositionRow(t, { n }));
      await get().writeBatch(batch(run, t, { compositions: rows }));
      const before = await rowsOf(t);
      const again = await get().writeBatch(batch(run, t, { compositions: rows }));
      expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 2, deleted: 0 });
      expect((await rowsOf(t)).map((r) => r.xmin)).toEqual(before.map((r) => r.xmin));
    });

    it('replaces a version in place: one row per id, newest uid and content', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const v1 = compositionRow(t, { n: 1 });
      const v2 = compositionRow(t, {
        id: v1.id,
        ehrId: v1.ehrId,
        version: 2,
        n: 1,
        time: '2024-03-02T00:00:00Z',
      });
      await get().writeBatch(batch(run, t, { compositions: [v1] }));
      const result = await get().writeBatch(batch(run, t, { compositions: [v2] }));
      expect(result).toEqual({ inserted: 0, updated: 1, unchanged: 0, deleted: 0 });
      const stored = await rowsOf(t);
      expect(stored).toHaveLength(1);
      expect(stored[0]!.composition_uid).toBe(v2.compositionUid);
      expect(stored[0]!.content).toEqual(JSON.parse(v2.contentJson));
    });

    it('keeps the last of duplicate ids within one batch', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const v1 = compositionRow(t, { n: 3 });
      const v2 = compositionRow(t, { id: v1.id, ehrId: v1.ehrId, version: 2, n: 3 });
      const result = await get().writeBatch(batch(run, t, { compositions: [v1, v2] }));
      expect(result).toEqual({ inserted: 1, updated: 0, unchanged: 1, deleted: 0 });
      expect((await rowsOf(t)).map((r) => r.composition_uid)).toEqual([v2.compositionUid]);
    });

    it('writes batches larger than one statement (chunking) completely', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const ehrId = randomUUID();
      const rows = Array.from({ length: 1203 }, (_, n) => compositionRow(t, { n, ehrId }));
      const result = await get().writeBatch(batch(run, t, { compositions: rows }));
      expect(result.inserted).toBe(1203);
      const { rows: counted } = await get().query<{ n: string }>(
        'SELECT count(*) AS n FROM compositions WHERE template_id = $1',
        [t],
      );
      expect(Number(counted[0]!.n)).toBe(1203);
      const [wm] = await get().watermarks({ templateId: t });
      expect(wm!.compositionsExportedCount).toBe(1203);
    });
  });

  describe('deletions', () => {
    it('mark: stamps deleted_at, keeps content, a later upsert brings the row back', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const row = compositionRow(t);
      await get().writeBatch(batch(run, t, { compositions: [row] }));
      const marked = await get().writeBatch(
        batch(run, t, { deletions: [{ id: row.id, ehrId: row.ehrId }], deletionPolicy: 'mark' }),
      );
      expect(marked.deleted).toBe(1);
      const stored = await rowsOf(t);
      expect(stored[0]!.deleted).toBe(true);
      expect(stored[0]!.content).toEqual(JSON.parse(row.contentJson));
      expect((await get().getStoredVersions([row.id])).get(row.id)!.deleted).toBe(true);
      // A marked row is still a stored row of the template.
      expect(await get().hasStoredRows(t)).toBe(true);
      // Marking again is not a second deletion.
      const again = await get().writeBatch(batch(run, t, { deletions: [{ id: row.id, ehrId: row.ehrId }] }));
      expect(again.deleted).toBe(0);
      // The same version re-appearing is written (revived), not skipped as unchanged.
      const revived = await get().writeBatch(batch(run, t, { compositions: [row] }));
      expect(revived).toEqual({ inserted: 0, updated: 1, unchanged: 0, deleted: 0 });
      expect((await rowsOf(t))[0]!.deleted).toBe(false);
      const [wm] = await get().watermarks({ templateId: t });
      expect(wm!.compositionsExportedCount).toBe(1);
    });

    it("delete: removes the row and lowers the watermark's count; other templates untouched", async () => {
      const t = freshTemplate();
      const other = freshTemplate();
      const run = await newRun([t, other]);
      const ehrId = randomUUID();
      const rows = [0, 1].map((n) => compositionRow(t, { n, ehrId }));
      const foreign = compositionRow(other, { ehrId });
      await get().writeBatch(batch(run, t, { compositions: rows }));
      await get().writeBatch(batch(run, other, { compositions: [foreign] }));
      const result = await get().writeBatch(
        batch(run, t, {
          deletions: [
            { id: rows[0]!.id, ehrId },
            { id: foreign.id, ehrId },
          ],
          deletionPolicy: 'delete',
        }),
      );
      expect(result.deleted).toBe(1);
      expect((await rowsOf(t)).map((r) => r.id)).toEqual([rows[1]!.id]);
      expect(await rowsOf(other)).toHaveLength(1);
      const [wm] = await get().watermarks({ templateId: t, ehrId });
      expect(wm!.compositionsExportedCount).toBe(1);
    });
  });

  describe('watermarks', () => {
    it('per (template, ehr): id format, latest time and uid, counts of new rows, run start, in_progress', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const ehrA = randomUUID();
      const ehrB = randomUUID();
      const a1 = compositionRow(t, { ehrId: ehrA, time: '2024-05-01T10:00:00.000001Z' });
      const a2 = compositionRow(t, { ehrId: ehrA, time: '2024-05-01T12:00:00.123456+02:00' }); // 10:00:00.123456Z
      const b1 = compositionRow(t, { ehrId: ehrB, time: '2024-04-01T00:00:00Z' });
      await get().writeBatch(batch(run, t, { compositions: [a1, a2, b1] }));

      const { rows: runs } = await get().query<{ started: string }>(
        `SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started
           FROM export_runs WHERE id = $1`,
        [run],
      );
      const wms = await get().watermarks({ templateId: t });
      expect(wms.map((w) => w.id).sort()).toEqual([`${t}::${ehrA}`, `${t}::${ehrB}`].sort());
      const wa = wms.find((w) => w.ehrId === ehrA)!;
      expect(wa).toMatchObject({
        templateId: t,
        lastExportedTimestamp: '2024-05-01T10:00:00.123456Z',
        lastExportedCompositionUid: a2.compositionUid,
        compositionsExportedCount: 2,
        lastExportStartedAt: runs[0]!.started,
        lastExportCompletedAt: null,
        lastExportStatus: 'in_progress',
      });

      // An older composition of the same EHR later: time and uid stay, the count grows.
      const a0 = compositionRow(t, { ehrId: ehrA, time: '2023-01-01T00:00:00Z' });
      await get().writeBatch(batch(run, t, { compositions: [a0] }));
      const [wa2] = await get().watermarks({ templateId: t, ehrId: ehrA });
      expect(wa2).toMatchObject({
        lastExportedTimestamp: '2024-05-01T10:00:00.123456Z',
        lastExportedCompositionUid: a2.compositionUid,
        compositionsExportedCount: 3,
      });
      // Re-writing unchanged rows does not count them again.
      await get().writeBatch(batch(run, t, { compositions: [a0, a1, a2] }));
      expect((await get().watermarks({ templateId: t, ehrId: ehrA }))[0]!.compositionsExportedCount).toBe(3);
    });

    it('finishTemplate closes only the watermarks of that run and template; interrupted included', async () => {
      const t = freshTemplate();
      const other = freshTemplate();
      const run1 = await newRun([t, other]);
      const e1 = randomUUID();
      const e2 = randomUUID();
      await get().writeBatch(batch(run1, t, { compositions: [compositionRow(t, { ehrId: e1 })] }));
      await get().writeBatch(batch(run1, other, { compositions: [compositionRow(other, { ehrId: e1 })] }));
      await get().finishTemplate(run1, t, 'completed');
      const done = (await get().watermarks({ templateId: t }))[0]!;
      expect(done.lastExportStatus).toBe('completed');
      expect(done.lastExportCompletedAt).not.toBeNull();
      expect((await get().watermarks({ templateId: other }))[0]!.lastExportStatus).toBe('in_progress');

      const run2 = await newRun([t]);
      await get().writeBatch(batch(run2, t, { compositions: [compositionRow(t, { ehrId: e2 })] }));
      const touched = (await get().watermarks({ templateId: t, ehrId: e2 }))[0]!;
      expect(touched.lastExportStatus).toBe('in_progress');
      await get().finishTemplate(run2, t, 'interrupted');
      const byEhr = new Map((await get().watermarks({ templateId: t })).map((w) => [w.ehrId, w]));
      expect(byEhr.get(e2)!.lastExportStatus).toBe('interrupted');
      expect(byEhr.get(e2)!.lastExportCompletedAt).not.toBeNull();
      // The watermark of run 1 is not touched by run 2's finish.
      expect(byEhr.get(e1)!.lastExportStatus).toBe('completed');
      expect(byEhr.get(e1)!.lastExportCompletedAt).toBe(done.lastExportCompletedAt);

      expect((await get().watermarks({ templateId: t, status: 'interrupted' })).map((w) => w.ehrId)).toEqual([
        e2,
      ]);
      expect(await get().watermarks({ templateId: t, limit: 1 })).toHaveLength(1);
    });
  });

  describe('failures', () => {
    it('records failures, counts attempts on repeat, clears resolved ones', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const f = (id: string, reason: string) => ({
        id,
        templateId: t,
        ehrId: 'ehr-1',
        compositionUid: `${id}::x::1`,
        timeCommitted: '2024-01-01T00:00:00Z',
        reason,
      });
      const [x, y] = [randomUUID(), randomUUID()];
      await get().writeBatch(batch(run, t, { failures: [f(x, 'HTTP 500'), f(y, 'HTTP 404')] }));
      await get().writeBatch(batch(run, t, { failures: [f(x, 'timeout')] }));
      const listed = await get().failures(t);
      const fx = listed.find((l) => l.id === x)!;
      expect(fx.attempts).toBe(2);
      expect(fx.reason).toBe('timeout');
      expect(fx.lastFailedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(listed.find((l) => l.id === y)!.attempts).toBe(1);
      expect((await get().pendingFailures(t)).map((p) => p.id).sort()).toEqual([x, y].sort());

      await get().writeBatch(batch(run, t, { resolvedFailureIds: [x] }));
      expect((await get().pendingFailures(t)).map((p) => p.id)).toEqual([y]);
      expect((await get().templateStatus([t]))[0]!.failures).toBe(1);
    });
  });

  describe('atomicity', () => {
    it('a failing row rolls back the whole batch: compositions, watermarks, failures, cursor unchanged', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const ehrId = randomUUID();
      const first = [0, 1].map((n) => compositionRow(t, { n, ehrId }));
      const cursor1 = {
        templateId: t,
        time: '2024-03-01T12:00:00.000001Z',
        uid: first[1]!.compositionUid,
        mode: 'commit_time' as const,
      };
      await get().writeBatch(batch(run, t, { compositions: first, cursor: cursor1 }));
      const snapshot = async () => ({
        rows: await rowsOf(t),
        wms: await get().watermarks({ templateId: t }),
        cursor: await get().getCursor(t),
        failures: await get().failures(t),
      });
      const before = await snapshot();

      const updated = compositionRow(t, { id: first[0]!.id, ehrId, version: 2 });
      const bad = { ...compositionRow(t, { ehrId }), exportMode: 'bogus' as unknown as 'flatten' };
      const doomed = batch(run, t, {
        compositions: [updated, compositionRow(t, { ehrId: randomUUID() }), bad],
        deletions: [{ id: first[1]!.id, ehrId }],
        failures: [
          {
            id: randomUUID(),
            templateId: t,
            ehrId,
            compositionUid: 'u::x::1',
            timeCommitted: '2024-01-01T00:00:00Z',
            reason: 'r',
          },
        ],
        cursor: { ...cursor1, time: '2025-01-01T00:00:00Z', uid: 'later' },
      });
      await expect(get().writeBatch(doomed)).rejects.toThrow(/valid_export_mode|check constraint/i);
      expect(await snapshot()).toEqual(before);

      // A failure in the LAST step (the cursor), after compositions, deletions, watermarks and failures were
      // written by earlier statements of the transaction: all of them are rolled back too.
      const lateFailure = {
        ...doomed,
        compositions: [updated, compositionRow(t, { ehrId: randomUUID() })],
        cursor: { ...cursor1, mode: 'sideways' as unknown as 'commit_time' },
      };
      await expect(get().writeBatch(lateFailure)).rejects.toThrow(/discovery_mode|check constraint/i);
      expect(await snapshot()).toEqual(before);

      // Content the server refuses as a VALUE (not JSON here) is isolated instead (issue 16): that row is
      // returned as refused and recorded as failed, the rest of the batch commits.
      const notJson = { ...compositionRow(t, { ehrId }), contentJson: '{"unterminated": ' };
      const isolated = await get().writeBatch(batch(run, t, { compositions: [compositionRow(t), notJson] }));
      expect(isolated.inserted).toBe(1);
      expect(isolated.refused?.map((r) => r.id)).toEqual([notJson.id]);
      expect(isolated.refused?.[0]?.reason).toMatch(/database refused the composition: .*json/i);
      // The store is still usable afterwards (the connection was rolled back, not left in a failed transaction).
      expect((await get().writeBatch(batch(run, t, { compositions: [compositionRow(t)] }))).inserted).toBe(1);
    });
  });

  describe('runs, cursors and status', () => {
    it('records runs, moves cursors with microseconds intact, reports per-template status', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      expect(await get().getCursor(t)).toBeNull();
      const ehrs = [randomUUID(), randomUUID()];
      const rows = ehrs.map((ehrId, n) => compositionRow(t, { ehrId, n }));
      const cursor = {
        templateId: t,
        time: '2024-03-01T12:00:00.654321Z',
        uid: rows[1]!.compositionUid,
        mode: 'commit_time' as const,
      };
      await get().writeBatch(batch(run, t, { compositions: rows, cursor }));
      expect(await get().getCursor(t)).toEqual(cursor);
      await get().writeBatch(batch(run, t, { deletions: [{ id: rows[0]!.id, ehrId: ehrs[0]! }] }));
      await get().finishRun(run, {
        status: 'completed',
        compositionsWritten: 2,
        compositionsUnchanged: 0,
        compositionsDeleted: 1,
        compositionsFailed: 0,
        details: { note: 'ok', perTemplate: { [t]: 2 } },
      });
      const { rows: runRows } = await get().query<{ status: string; details: unknown; finished: boolean }>(
        'SELECT status, details, finished_at IS NOT NULL AS finished FROM export_runs WHERE id = $1',
        [run],
      );
      expect(runRows[0]).toEqual({
        status: 'completed',
        details: { note: 'ok', perTemplate: { [t]: 2 } },
        finished: true,
      });

      const [status] = await get().templateStatus([t]);
      expect(status).toMatchObject({ templateId: t, cursor, live: 1, deleted: 1, failures: 0, ehrs: 1 });
      expect(status!.lastRun).toMatchObject({ id: run, status: 'completed' });
      expect(status!.lastRun!.finishedAt).not.toBeNull();
      const all = await get().templateStatus();
      expect(all.map((s) => s.templateId)).toContain(t);
      const unknown = freshTemplate('Unknown');
      expect(await get().templateStatus([unknown])).toEqual([
        { templateId: unknown, cursor: null, live: 0, deleted: 0, failures: 0, ehrs: 0, lastRun: null },
      ]);
      await expect(
        get().finishRun(987654321, {
          status: 'failed',
          compositionsWritten: 0,
          compositionsUnchanged: 0,
          compositionsDeleted: 0,
          compositionsFailed: 0,
        }),
      ).rejects.toThrow(/987654321/);
    });

    it('lists stored versions of a template in keyset pages, live and deleted', async () => {
      const t = freshTemplate();
      const run = await newRun([t]);
      const rows = Array.from({ length: 7 }, (_, n) => compositionRow(t, { n }));
      await get().writeBatch(batch(run, t, { compositions: rows }));
      await get().writeBatch(batch(run, t, { deletions: [{ id: rows[2]!.id, ehrId: rows[2]!.ehrId }] }));
      const pages: string[][] = [];
      let deleted = 0;
      for await (const page of get().listStored(t, 3)) {
        pages.push(page.map((p) => p.id));
        deleted += page.filter((p) => p.deleted).length;
      }
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(rows.map((r) => r.id).sort());
      expect(deleted).toBe(1);
    });

    it('runs arbitrary SQL and reports the field names', async () => {
      const result = await get().query<{ answer: number; label: string }>(
        'SELECT 42 AS answer, $1::text AS label',
        ['x'],
      );
      expect(result).toEqual({ rows: [{ answer: 42, label: 'x' }], fields: ['answer', 'label'] });
      const multi = await get().query('SELECT 1 AS a; SELECT 2 AS b');
      expect(multi).toEqual({ rows: [{ b: 2 }], fields: ['b'] });
    });
  });
}

/** Template-lock semantics; `peer()` is a second exporter (another store, or the same store in-process). */
export function lockSuite(get: () => Store, peer: () => Store): void {
  describe('template locks', () => {
    it('fail mode: a second exporter of the same template is refused by name; others are free', async () => {
      const t = freshTemplate();
      const release = await get().lockTemplate(t, 'fail');
      try {
        await expect(peer().lockTemplate(t, 'fail')).rejects.toThrow(
          new RegExp(`template ${t.replaceAll('.', '\\.')} is locked: another Atlas export is running`),
        );
        const releaseOther = await peer().lockTemplate(freshTemplate(), 'fail');
        await releaseOther();
      } finally {
        await release();
      }
      const again = await peer().lockTemplate(t, 'fail');
      await again();
    });

    it('wait mode: blocks until the holder releases', async () => {
      const t = freshTemplate();
      const release = await get().lockTemplate(t, 'fail');
      let acquired = false;
      const waiting = peer()
        .lockTemplate(t, 'wait')
        .then((r) => {
          acquired = true;
          return r;
        });
      // Let the waiter poll at least once while the lock is held.
      await new Promise((r) => setTimeout(r, 800));
      expect(acquired).toBe(false);
      await release();
      const releaseWaiter = await waiting;
      expect(acquired).toBe(true);
      await releaseWaiter();
    });

    it('wait mode honours the abort signal', async () => {
      const t = freshTemplate();
      const release = await get().lockTemplate(t, 'fail');
      try {
        const controller = new AbortController();
        const waiting = peer().lockTemplate(t, 'wait', controller.signal);
        controller.abort(new Error('shutdown requested'));
        await expect(waiting).rejects.toThrow(/shutdown requested|abort/i);
      } finally {
        await release();
      }
    });
  });
}
