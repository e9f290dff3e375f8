import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { Store } from '../../../src/store/types.js';
import { createTestDatabase } from '../../support/db.js';
import { batch, compositionRow, freshTemplate } from '../store/rows.js';
import { postgresConfig, storeConfig, storeContext } from '../store/store-context.js';

/**
 * A batch write that waits on a table lock another session holds says so in the log (which session, for
 * how long), instead of the export going silent; it commits once the lock is released.
 */
let store: Store | undefined;
let locker: pg.Client | undefined;
afterAll(async () => {
  await locker?.end().catch(() => undefined);
  await store?.close();
});

const waitUntil = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 100));
};

describe('a batch waiting on a lock another session holds', () => {
  it('logs the wait with the blocking session, then commits when the lock is released', async () => {
    const db = await createTestDatabase();
    const ctx = storeContext(storeConfig({ postgresql: postgresConfig(db.url) }));
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    store = await openPostgresStore(
      { ...ctx, logger: pino({ level: 'info' }, sink) },
      ctx.config.postgresql!,
    );
    await store.migrate();
    const templateId = freshTemplate();
    const run = await store.startRun({ mode: 'incremental', templateIds: [templateId], dryRun: false });

    locker = new pg.Client({ connectionString: db.url, application_name: 'someone-else' });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE compositions IN ACCESS EXCLUSIVE MODE');

    const row = compositionRow(templateId);
    const writing = store.writeBatch(batch(run, templateId, { compositions: [row] }));
    const waiting = () => lines.find((l) => String(l.msg).startsWith('waiting for a database lock'));
    await waitUntil(() => waiting() !== undefined);
    const line = waiting()!;
    expect(line.templateId).toBe(templateId);
    expect(line.blockers).toEqual([
      expect.objectContaining({
        pid: (locker as pg.Client & { processID: number }).processID,
        application: 'someone-else',
        state: 'idle in transaction',
      }),
    ]);
    expect(JSON.stringify(line)).not.toContain('LOCK TABLE'); // never the other session's query text

    await locker.query('COMMIT');
    const result = await writing;
    expect(result.inserted).toBe(1);
    const stored = await db.pool.query('SELECT id FROM compositions WHERE id = $1', [row.id]);
    expect(stored.rowCount).toBe(1);
  });
});
