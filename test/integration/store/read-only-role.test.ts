import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../../src/errors.js';
import { openStore } from '../../../src/store/index.js';
import type { Store, StoredVersion } from '../../../src/store/types.js';
import { adminQuery, createTestDatabase } from '../../support/db.js';
import { batch, compositionRow } from './rows.js';
import { postgresConfig, storeConfig, storeContext } from './store-context.js';

/**
 * Read-only commands (status, verify, sql) open the store with `access: 'read'`, so a reporting role that
 * has SELECT and nothing else can run them on an up-to-date schema.
 */
const db = await createTestDatabase();
const role = `atlas_ro_${randomBytes(4).toString('hex')}`;
const templateId = 'ReadOnly.v1';
let roleUrl: string;

beforeAll(async () => {
  const owner = await openStore(storeContext(storeConfig({ postgresql: postgresConfig(db.url) })));
  try {
    const run = await owner.startRun({ mode: 'full', templateIds: [templateId], dryRun: false });
    const rows = [0, 1, 2].map((n) => compositionRow(templateId, { n }));
    await owner.writeBatch(batch(run, templateId, { compositions: rows }));
  } finally {
    await owner.close();
  }
  // Roles are cluster-wide: a unique name, dropped after the file (grants first, or DROP ROLE refuses).
  await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`);
  await db.pool.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await db.pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  const u = new URL(db.url);
  u.username = role;
  u.password = 'pw';
  roleUrl = u.toString();
});

afterAll(async () => {
  await db.pool.query(`DROP OWNED BY ${role}`).catch(() => undefined);
  await adminQuery(`DROP ROLE IF EXISTS ${role}`);
});

const asRole = () => storeContext(storeConfig({ postgresql: postgresConfig(roleUrl) }));

describe('openStore with a SELECT-only role', () => {
  it("access 'read' opens (migration check included) and serves the read paths", async () => {
    const store: Store = await openStore(asRole(), { access: 'read' });
    try {
      const [status] = await store.templateStatus([templateId]);
      expect(status?.live).toBe(3);
      const stored: StoredVersion[] = [];
      for await (const page of store.listStored(templateId, 2)) stored.push(...page);
      expect(stored).toHaveLength(3);
      const { rows } = await store.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM compositions WHERE template_id = $1',
        [templateId],
      );
      expect(rows[0]?.n).toBe(3);
      // Truly read-only: a write is refused by PostgreSQL, not by Atlas.
      await expect(store.startRun({ mode: 'full', templateIds: [], dryRun: false })).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await store.close();
    }
  });

  it('the default (write) access still refuses the role, naming the missing privileges', async () => {
    const err = await openStore(asRole()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    expect((err as Error).message).toMatch(/lacks .*INSERT/);
  });
});
