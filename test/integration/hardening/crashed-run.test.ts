import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { Store } from '../../../src/store/types.js';
import { createTestDatabase } from '../../support/db.js';
import { postgresConfig, storeConfig, storeContext } from '../store/store-context.js';

/**
 * A run whose process ended without recording its outcome (kill -9, a crash: its store closed without
 * finishRun) is marked interrupted by the next run, with the reason; a run still going in another process is
 * left alone. The kill -9 version over the real CLI is in test/e2e/export/kill-resume.test.ts.
 */
const input = { mode: 'incremental', templateIds: ['t.v1'], dryRun: false };

async function runRow(store: Store, id: number) {
  const { rows } = await store.query<{ status: string; error: string | null }>(
    'SELECT status, error FROM export_runs WHERE id = $1',
    [id],
  );
  return rows[0];
}

const opened: Store[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
});

describe('a crashed run, on PostgreSQL', () => {
  it('is marked interrupted by the next run; a run alive in another process is not', async () => {
    const db = await createTestDatabase();
    const ctx = storeContext(storeConfig({ postgresql: postgresConfig(db.url) }));
    const open = async () => {
      const s = await openPostgresStore(ctx, ctx.config.postgresql!);
      opened.push(s);
      await s.migrate();
      return s;
    };
    const crashing = await open();
    const alive = await open();
    const crashed = await crashing.startRun(input);
    const going = await alive.startRun(input);
    // Both processes are alive: nothing is marked.
    expect((await runRow(alive, crashed))?.status).toBe('running');
    await crashing.close(); // the process is gone without finishRun
    const next = await open();
    const third = await next.startRun(input);
    const row = await runRow(next, crashed);
    expect(row?.status).toBe('interrupted');
    expect(row?.error).toMatch(new RegExp(`ended without recording its outcome.*found by run ${third}`));
    expect((await runRow(next, going))?.status).toBe('running');
    expect((await runRow(next, third))?.status).toBe('running');
  });
});

describe('a crashed run, in the embedded database', () => {
  it('is marked interrupted when the database is opened again and a run starts', async () => {
    const ctx = storeContext(storeConfig({ embeddedPath: mkdtempSync(join(tmpdir(), 'atlas-crashed-')) }));
    const first = await openStore(ctx);
    await first.migrate();
    const crashed = await first.startRun(input);
    await first.close();
    const second = await openStore(ctx);
    opened.push(second);
    const next = await second.startRun(input);
    expect((await runRow(second, crashed))?.status).toBe('interrupted');
    expect((await runRow(second, next))?.status).toBe('running');
  });
});
