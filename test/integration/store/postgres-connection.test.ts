import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/errors.js';
import { openPostgresPool } from '../../../src/store/postgres/pool.js';
import { createTestDatabase } from '../../support/db.js';
import { freePort } from '../../support/embedded-server.js';
import { postgresConfig, storeConfig, storeContext } from './store-context.js';

const db = await createTestDatabase();

function withPassword(url: string, password: string, database?: string): string {
  const u = new URL(url);
  u.password = password;
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

async function open(url: string, sslMode: 'disable' | 'prefer' | 'require') {
  const config = postgresConfig(url, { sslMode, connectionTimeoutSeconds: 5 });
  return openPostgresPool(storeContext(storeConfig({ postgresql: config })), config);
}

describe('PostgreSQL connection', () => {
  it('applies application_name and statement_timeout as connection settings', async () => {
    const { pool } = await open(db.url, 'disable');
    try {
      const { rows } = await pool.query(
        "SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout",
      );
      expect(rows[0]).toEqual({ app: 'atlas', timeout: '1min' });
    } finally {
      await pool.end();
    }
  });

  it('prefer uses TLS when the server offers it and falls back to plain when it does not; require insists', async () => {
    const probe = await db.pool.query<{ ssl: string }>('SHOW ssl');
    const serverTls = probe.rows[0]!.ssl === 'on';
    const { pool } = await open(db.url, 'prefer');
    try {
      const { rows } = await pool.query<{ ssl: boolean }>(
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      expect(rows[0]!.ssl).toBe(serverTls);
    } finally {
      await pool.end();
    }
    if (serverTls) {
      const { pool: tls } = await open(db.url, 'require');
      await tls.end();
    } else {
      const err = await open(db.url, 'require').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/offers no TLS but ssl_mode = require/);
    }
  });

  it('a refused connection is a ConnectionError naming the server, never the password', async () => {
    const port = await freePort();
    const url = `postgres://atlas:S3cret-Pa55@127.0.0.1:${port}/atlas`;
    const err = await open(url, 'disable').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain(`atlas@127.0.0.1:${port}/atlas`);
    expect((err as Error).message).toMatch(/connection refused/);
    expect((err as Error).message).not.toContain('S3cret-Pa55');
  });

  it('a missing database says so, without the password', async () => {
    const url = withPassword(db.url, 'S3cret-Pa55', 'atlas_no_such_db');
    const err = await open(url, 'disable').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/atlas_no_such_db/);
    expect((err as Error).message).toMatch(/does not exist|password authentication failed/);
    expect((err as Error).message).not.toContain('S3cret-Pa55');
  });
});
