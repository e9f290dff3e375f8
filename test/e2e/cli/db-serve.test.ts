import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { atlas, ensureBuilt, finished, spawnAtlas, waitForOutput } from './cli-process.js';
import { smallDemoDatabase } from './small-demo.js';

describe('atlas db serve', () => {
  let db: Awaited<ReturnType<typeof smallDemoDatabase>>;
  beforeAll(async () => {
    ensureBuilt();
    db = await smallDemoDatabase();
  }, 300_000);

  it('serves the embedded database to a PostgreSQL client on 127.0.0.1 until SIGINT, then releases it', async () => {
    const server = spawnAtlas(['db', 'serve', '--db', db.dir, '--port', '0'], { cwd: db.cwd });
    const done = finished(server);
    let url: string;
    try {
      const m = await waitForOutput(server, /psql "(postgres:\/\/postgres@127\.0\.0\.1:(\d+)\/postgres)"/);
      url = m[1] ?? '';
      expect(done.output()).toContain(`Serving the embedded database ${db.dir} on 127.0.0.1:${m[2]}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ template_id: string; n: number }>(
          'SELECT template_id, count(*)::int AS n FROM compositions GROUP BY 1 ORDER BY 1',
        );
        expect(Object.fromEntries(rows.map((r) => [r.template_id, r.n]))).toEqual(db.counts);
      } finally {
        await client.end();
      }
      // A second process on the same directory is refused with the holder's pid.
      const second = await atlas(['db', 'serve', '--db', db.dir, '--port', '0'], { cwd: db.cwd });
      expect(second.code).toBe(4);
      expect(second.stderr).toContain(`is in use by process ${server.pid}`);
    } finally {
      server.kill('SIGINT');
    }
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(db.dir, 'atlas.lock'))).toBe(false);
    // Released: the database opens again.
    const after = await atlas(
      ['sql', '--db', db.dir, '--json', 'SELECT count(*)::int AS n FROM export_runs'],
      {
        cwd: db.cwd,
      },
    );
    expect(JSON.parse(after.stdout)).toEqual([{ n: 1 }]);
  });

  it('exits 4 and names --port when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await atlas(['db', 'serve', '--db', db.dir, '--port', String(port)], { cwd: db.cwd });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
      expect(r.stderr).toContain('--port');
    } finally {
      blocker.close();
    }
    expect(existsSync(join(db.dir, 'atlas.lock'))).toBe(false);
  });

  it('refuses a PostgreSQL target (exit 2), a missing database (exit 4) and a bad port (exit 2)', async () => {
    const pgTarget = await atlas(['db', 'serve'], {
      cwd: db.cwd,
      env: {
        ATLAS_OPENEHR_BASE_URL: 'http://127.0.0.1:9',
        ATLAS_POSTGRESQL_CONNECTION_STRING: 'postgresql://atlas@127.0.0.1:1/atlas',
      },
    });
    expect(pgTarget.code).toBe(2);
    expect(pgTarget.stderr).toContain('the configuration targets PostgreSQL');
    const missing = await atlas(['db', 'serve', '--db', join(db.cwd, 'nothing-here')], { cwd: db.cwd });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('there is no embedded database');
    const badPort = await atlas(['db', 'serve', '--db', db.dir, '--port', '70000'], { cwd: db.cwd });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be an integer from 0 to 65535');
  });
});
