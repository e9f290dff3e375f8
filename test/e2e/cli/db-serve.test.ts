import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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

  it('serves the embedded database on a Unix socket in a private directory until SIGINT, then removes it and releases the database', async () => {
    const server = spawnAtlas(['db', 'serve', '--db', db.dir, '--port', '5439'], { cwd: db.cwd });
    const done = finished(server);
    let socketDir: string;
    try {
      const m = await waitForOutput(server, /psql -h (\S+) -p 5439 -U postgres postgres/);
      socketDir = m[1] ?? '';
      expect(done.output()).toContain(
        `Serving the embedded database ${db.dir} on the Unix socket in ${socketDir}`,
      );
      // Nothing listens on TCP: PGlite would accept any password there, so every local account could write.
      expect(done.output()).not.toMatch(/127\.0\.0\.1/);
      // The directory is the access check: owned by this user, mode 0700, the socket inside it.
      const st = statSync(socketDir);
      expect(st.mode & 0o777).toBe(0o700);
      expect(st.uid).toBe(process.getuid?.());
      expect(existsSync(join(socketDir, '.s.PGSQL.5439'))).toBe(true);
      const client = new pg.Client({ host: socketDir, port: 5439, user: 'postgres', database: 'postgres' });
      await client.connect();
      try {
        const { rows } = await client.query<{ template_id: string; n: number }>(
          'SELECT template_id, count(*)::int AS n FROM compositions GROUP BY 1 ORDER BY 1',
        );
        expect(Object.fromEntries(rows.map((r) => [r.template_id, r.n]))).toEqual(db.counts);
      } finally {
        await client.end();
      }
      // The printed connection string works as given.
      const byUrl = new pg.Client({ connectionString: /connection string: (\S+)/.exec(done.output())?.[1] });
      await byUrl.connect();
      await byUrl.end();
      // Another local account is refused by the file system (root bypasses modes, so use `nobody`).
      if (process.getuid?.() === 0) {
        const other = spawnSync(
          'runuser',
          [
            '-u',
            'nobody',
            '--',
            'psql',
            '-h',
            socketDir,
            '-p',
            '5439',
            '-U',
            'postgres',
            '-c',
            'SELECT 1',
            'postgres',
          ],
          { encoding: 'utf8' },
        );
        expect(other.status).not.toBe(0);
        expect(other.stderr).toContain('Permission denied');
      }
      // A second process on the same directory is refused with the holder's pid.
      const second = await atlas(['db', 'serve', '--db', db.dir], { cwd: db.cwd });
      expect(second.code).toBe(4);
      expect(second.stderr).toContain(`is in use by process ${server.pid}`);
    } finally {
      server.kill('SIGINT');
    }
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(socketDir)).toBe(false);
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
    expect(badPort.stderr).toContain('--port must be an integer from 1 to 65535');
  });
});
