import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EarlierBatchFailedError } from '../../../src/store/commit-order.js';
import { openStore } from '../../../src/store/index.js';
import { copyWriter } from '../../../src/store/postgres/copy-writer.js';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { Store } from '../../../src/store/types.js';
import { createTestDatabase } from '../../support/db.js';
import { bookkeepingSuite } from './bookkeeping-suite.js';
import { coreStoreSuite, lockSuite } from './core-suite.js';
import { batch, compositionRow, freshTemplate } from './rows.js';
import { postgresConfig, storeConfig, storeContext } from './store-context.js';

const db = await createTestDatabase();
let store: Store;
let second: Store;

beforeAll(async () => {
  const ctx = storeContext(storeConfig({ postgresql: postgresConfig(db.url) }));
  store = await openPostgresStore(ctx, ctx.config.postgresql!);
  second = await openPostgresStore(ctx, ctx.config.postgresql!);
});
afterAll(async () => {
  await store?.close();
  await second?.close();
});

describe('PostgreSQL store', () => {
  it('is the postgresql kind', () => {
    expect(store.kind).toBe('postgresql');
  });
  coreStoreSuite(() => store);
  lockSuite(
    () => store,
    () => second,
  );
  bookkeepingSuite(() => store);

  it('has no key fingerprint before any run recorded one', async () => {
    const fresh = await createTestDatabase();
    const ctx = storeContext(storeConfig({ postgresql: postgresConfig(fresh.url) }));
    const s = await openPostgresStore(ctx, ctx.config.postgresql!);
    try {
      expect(await s.lastKeyFingerprint()).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});

describe('PostgreSQL store, a batch written while the one before it is in flight', () => {
  const deferred = () => {
    let resolve: (ok: boolean) => void = () => undefined;
    const previous = new Promise<boolean>((r) => {
      resolve = r;
    });
    return { previous, resolve };
  };
  /** Waits until a session of the test database is inside a transaction and idle: the gated batch. */
  async function waitForGatedTransaction(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'idle in transaction'`,
      );
      if (rows[0]!.n > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the gated batch never reached its wait');
  }
  const count = async (templateId: string) =>
    (
      await db.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM compositions WHERE template_id = $1',
        [templateId],
      )
    ).rows[0]!.n;

  it('allows two batches in flight with a pool of at least 4 connections, else one', async () => {
    expect(store.writesInFlight).toBe(2);
    const ctx = storeContext(storeConfig({ postgresql: postgresConfig(db.url, { maxConnections: 3 }) }));
    const small = await openPostgresStore(ctx, ctx.config.postgresql!);
    try {
      expect(small.writesInFlight).toBe(1);
    } finally {
      await small.close();
    }
  });

  /** A batch of `n` rows with a cursor, written behind a gate the test opens; returns once it waits there. */
  async function gatedWrite(n: number) {
    const t = freshTemplate('Gated');
    const run = await store.startRun({ mode: 'full', templateIds: [t], dryRun: false });
    const rows = Array.from({ length: n }, (_, i) => compositionRow(t, { n: i }));
    const cursor = {
      templateId: t,
      time: '2024-03-01T12:00:00Z',
      uid: rows[n - 1]!.compositionUid,
      mode: 'commit_time' as const,
    };
    const gate = deferred();
    const writing = store.writeBatch(batch(run, t, { compositions: rows, cursor }), {
      previous: gate.previous,
    });
    await waitForGatedTransaction();
    return { t, cursor, gate, writing };
  }

  it('writes its rows at once but commits them, its watermarks and its cursor only after the earlier batch', async () => {
    const { t, cursor, gate, writing } = await gatedWrite(3);
    expect(await count(t)).toBe(0);
    expect(await store.getCursor(t)).toBeNull();
    gate.resolve(true);
    expect((await writing).inserted).toBe(3);
    expect(await count(t)).toBe(3);
    expect((await store.getCursor(t))?.uid).toBe(cursor.uid);
    expect(await store.watermarks({ templateId: t })).toHaveLength(3);
  });

  it('rolls back whole, not to be retried, when the earlier batch failed', async () => {
    const { t, gate, writing } = await gatedWrite(2);
    gate.resolve(false);
    await expect(writing).rejects.toBeInstanceOf(EarlierBatchFailedError);
    expect(await count(t)).toBe(0);
    expect(await store.getCursor(t)).toBeNull();
    expect(await store.watermarks({ templateId: t })).toHaveLength(0);
  });
});

describe('PostgreSQL store with the COPY writer', () => {
  let copyStore: Store;
  beforeAll(async () => {
    const ctx = storeContext(storeConfig({ postgresql: postgresConfig(db.url) }));
    copyStore = await openPostgresStore(ctx, ctx.config.postgresql!, { writer: copyWriter });
  });
  afterAll(async () => {
    await copyStore?.close();
  });
  coreStoreSuite(() => copyStore);
});

describe('openStore on PostgreSQL', () => {
  it('migrates a database in a schema whose name needs quoting, then reads and writes there', async () => {
    const empty = await createTestDatabase({ migrated: false });
    const schema = 'Atlas "export" data';
    const ctx = storeContext(storeConfig({ postgresql: postgresConfig(empty.url, { schema }) }));
    const s = await openStore(ctx);
    try {
      const run = await s.startRun({ mode: 'full', templateIds: ['T.v1'], dryRun: false });
      const row = compositionRow('T.v1');
      expect((await s.writeBatch(batch(run, 'T.v1', { compositions: [row] }))).inserted).toBe(1);
      const { rows } = await empty.pool.query(
        `SELECT count(*)::int AS n FROM "Atlas ""export"" data".compositions WHERE id = $1`,
        [row.id],
      );
      expect(rows[0].n).toBe(1);
      const publicTables = await empty.pool.query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(publicTables.rows[0].n).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('a second close is harmless', async () => {
    const ctx = storeContext(storeConfig({ postgresql: postgresConfig(db.url) }));
    const s = await openStore(ctx, { migrate: false });
    await s.close();
    await s.close();
  });
});
