import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store, WatermarkStatus } from '../../../src/store/types.js';
import { batch, compositionRow, freshTemplate } from './rows.js';

/**
 * The engine's run bookkeeping (key fingerprint of the last anonymising run, settling watermarks after a
 * complete run), run against PostgreSQL and the embedded database alike. `get()` returns the open store.
 */
export function bookkeepingSuite(get: () => Store): void {
  const finished = async (details?: unknown): Promise<number> => {
    const run = await get().startRun({ mode: 'incremental', templateIds: [], dryRun: false });
    await get().finishRun(run, {
      status: 'completed',
      compositionsWritten: 0,
      compositionsUnchanged: 0,
      compositionsDeleted: 0,
      compositionsFailed: 0,
      details,
    });
    return run;
  };

  describe('lastKeyFingerprint', () => {
    it('is the fingerprint of the newest run that recorded one; runs without one are passed over', async () => {
      await finished({ anonymization: { keyFingerprint: 'kfp1-first' } });
      expect(await get().lastKeyFingerprint()).toBe('kfp1-first');
      await finished({ anonymization: { keyFingerprint: 'kfp1-second' } });
      await finished();
      await finished({ other: 'details' });
      // A run still going has no details yet.
      await get().startRun({ mode: 'full', templateIds: [], dryRun: false });
      expect(await get().lastKeyFingerprint()).toBe('kfp1-second');
    });
  });

  describe('settleWatermarks', () => {
    /** One EHR of `templateId` written by a run of its own, closed with `status`. */
    async function leftBehind(templateId: string, status: Exclude<WatermarkStatus, 'not_started'>) {
      const ehrId = randomUUID();
      const run = await get().startRun({ mode: 'incremental', templateIds: [templateId], dryRun: false });
      await get().writeBatch(
        batch(run, templateId, { compositions: [compositionRow(templateId, { ehrId })] }),
      );
      await get().finishTemplate(run, templateId, status);
      return ehrId;
    }

    async function lastRunIds(templateId: string): Promise<Map<string, number>> {
      const { rows } = await get().query<{ ehr_id: string; run: number }>(
        'SELECT ehr_id, last_run_id::int AS run FROM watermarks WHERE template_id = $1',
        [templateId],
      );
      return new Map(rows.map((r) => [r.ehr_id, r.run]));
    }

    it("marks the template's interrupted, failed and in-progress watermarks completed by the run", async () => {
      const t = freshTemplate();
      const other = freshTemplate();
      const interrupted = await leftBehind(t, 'interrupted');
      const failed = await leftBehind(t, 'failed');
      const inProgress = await leftBehind(t, 'in_progress');
      const completed = await leftBehind(t, 'completed');
      const elsewhere = await leftBehind(other, 'interrupted');
      const before = new Map((await get().watermarks({ templateId: t })).map((w) => [w.ehrId, w]));
      const runsBefore = await lastRunIds(t);

      const run = await get().startRun({ mode: 'incremental', templateIds: [t], dryRun: false });
      await get().settleWatermarks(run, t);

      const after = new Map((await get().watermarks({ templateId: t })).map((w) => [w.ehrId, w]));
      const runs = await lastRunIds(t);
      for (const ehr of [interrupted, failed, inProgress]) {
        expect(after.get(ehr)?.lastExportStatus).toBe('completed');
        expect(after.get(ehr)?.lastExportCompletedAt).not.toBeNull();
        expect(runs.get(ehr)).toBe(run);
        // Only the status moves: what was exported stays as it was.
        expect(after.get(ehr)?.lastExportedCompositionUid).toBe(before.get(ehr)?.lastExportedCompositionUid);
        expect(after.get(ehr)?.compositionsExportedCount).toBe(1);
      }
      // Already completed by its own run: left alone.
      expect(after.get(completed)).toEqual(before.get(completed));
      expect(runs.get(completed)).toBe(runsBefore.get(completed));
      // Another template is not this run's business.
      expect((await get().watermarks({ templateId: other, ehrId: elsewhere }))[0]?.lastExportStatus).toBe(
        'interrupted',
      );
    });
  });
}
