import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { copyWriter } from '../../../src/store/postgres/copy-writer.js';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { Store } from '../../../src/store/types.js';
import { createTestDatabase } from '../../support/db.js';
import { bookkeepingSuite } from './bookkeeping-suite.js';
import { coreStoreSuite, lockSuite } from './core-suite.js';
import { batch, compositionRow } from './rows.js';
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
