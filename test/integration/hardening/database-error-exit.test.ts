import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOfError } from '../../../src/errors.js';
import { createTestDatabase } from '../../support/db.js';

// Issue 16, item 7: a database error no layer wrapped (here: a write in a read-only transaction, raised by
// a real PostgreSQL) ends the command with exit 4 (database), not 1 ("compositions failed").
const db = await createTestDatabase();
const client = new pg.Client(db.url);
await client.connect();
afterAll(async () => {
  await client.end();
});

describe('unwrapped database errors (issue 16, item 7)', () => {
  it('a read-only transaction refusing a write is exit 4', async () => {
    await client.query('BEGIN READ ONLY');
    const err = await client.query('CREATE TABLE atlas_ro_probe (x int)').catch((e: unknown) => e);
    await client.query('ROLLBACK');
    expect((err as { code?: string }).code).toBe('25006');
    expect(exitCodeOfError(err)).toBe(ExitCode.connection);
  });
  it('anything else untyped stays exit 1', () => {
    expect(exitCodeOfError(new Error('x'))).toBe(ExitCode.compositionsFailed);
  });
});
