import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { leaseClientConfig } from '../../../src/store/postgres/advisory-lock.js';
import { createTestDatabase } from '../../support/db.js';

describe('template-lock lease (sync.lease_seconds)', () => {
  it('the lock session carries keepalive and user-timeout settings that bound it to about the lease', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client(leaseClientConfig({ connectionString: db.url }, 30));
    await client.connect();
    try {
      const show = async (name: string) => (await client.query(`SHOW ${name}`)).rows[0][name] as string;
      expect(await show('tcp_keepalives_idle')).toBe('10');
      expect(await show('tcp_keepalives_interval')).toBe('5');
      expect(await show('tcp_keepalives_count')).toBe('4');
      expect(await show('tcp_user_timeout')).toBe('30000');
    } finally {
      await client.end();
    }
  });
});
