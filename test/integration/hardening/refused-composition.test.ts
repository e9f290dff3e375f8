import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { Store } from '../../../src/store/types.js';
import { createTestDatabase } from '../../support/db.js';
import { batch, compositionRow, freshTemplate } from '../store/rows.js';
import { postgresConfig, storeConfig, storeContext } from '../store/store-context.js';

// Issue 16, item 2: a composition the database refuses is isolated. Decision (docs/operations.md): a
// `\u0000` or a lone surrogate is NOT altered (that would change clinical data silently); the database
// refuses it, and Atlas records that one composition as failed with the reason, commits the rest of the
// batch with its cursor, and the next run is not blocked.

const db = await createTestDatabase();
let store: Store;

beforeAll(async () => {
  const ctx = storeContext(storeConfig({ postgresql: postgresConfig(db.url) }));
  store = await openPostgresStore(ctx, ctx.config.postgresql!);
});
afterAll(async () => {
  await store?.close();
});

describe('a composition the database refuses (issue 16, item 2)', () => {
  it('is recorded in failed_compositions with the reason; the rest of the batch and the cursor commit', async () => {
    const t = freshTemplate();
    const run = await store.startRun({ mode: 'full', templateIds: [t], dryRun: false });
    const good = [compositionRow(t, { n: 1 }), compositionRow(t, { n: 2 })];
    const nul = { ...compositionRow(t, { n: 3 }), contentJson: JSON.stringify({ 'a/b': 'x\u0000y' }) };
    const surrogate = { ...compositionRow(t, { n: 4 }), contentJson: JSON.stringify({ 'a/b': 'x\ud800y' }) };
    const cursor = {
      templateId: t,
      time: '2024-03-01T12:00:00Z',
      uid: good[1]!.compositionUid,
      mode: 'commit_time' as const,
    };
    const result = await store.writeBatch(
      batch(run, t, { compositions: [good[0]!, nul, surrogate, good[1]!], cursor }),
    );
    expect(result.inserted).toBe(2);
    expect(result.refused?.map((r) => r.id).sort()).toEqual([nul.id, surrogate.id].sort());
    const byId = new Map(result.refused!.map((r) => [r.id, r.reason]));
    expect(byId.get(nul.id)).toMatch(/database refused the composition: .*SQLSTATE 22P05.*U\+0000/);
    expect(byId.get(surrogate.id)).toMatch(/database refused the composition: .*surrogate/i);

    const stored = await store.query<{ id: string }>('SELECT id FROM compositions WHERE template_id = $1', [
      t,
    ]);
    expect(stored.rows.map((r) => r.id).sort()).toEqual(good.map((g) => g.id).sort());
    const failures = await store.failures(t);
    expect(failures.map((f) => f.id).sort()).toEqual([nul.id, surrogate.id].sort());
    expect(failures.find((f) => f.id === nul.id)?.reason).toContain('U+0000');
    expect((await store.getCursor(t))?.uid).toBe(good[1]!.compositionUid);

    // The next run is not blocked: the refused composition fails again (attempts 2), new ones commit.
    const run2 = await store.startRun({ mode: 'incremental', templateIds: [t], dryRun: false });
    const later = compositionRow(t, { n: 5 });
    const again = await store.writeBatch(
      batch(run2, t, { compositions: [nul, later], resolvedFailureIds: [nul.id] }),
    );
    expect(again.inserted).toBe(1);
    expect(again.refused?.map((r) => r.id)).toEqual([nul.id]);
    const after = await store.failures(t);
    expect(after.find((f) => f.id === nul.id)?.attempts).toBe(2);
  });
});
