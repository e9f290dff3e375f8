import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_MANIFEST, type Simulator, startSimulator } from '../../../sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

/** `atlas validate-config --check` from the built CLI (asynchronously: the simulator runs in this process). */
function check(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'atlas-e2e-check-'));
  const child = spawn(process.execPath, [CLI, 'validate-config', '--check'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: 'Corona_Anamnese', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('atlas validate-config --check', () => {
  let open: Simulator;
  let basic: Simulator;
  let db: TestDatabase;

  beforeAll(async () => {
    open = await startSimulator({ ehrs: 2, dataDir: SHARED_FIXTURES_MANIFEST });
    basic = await startSimulator({ ehrs: 2, dataDir: SHARED_FIXTURES_MANIFEST, auth: 'basic' });
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await open.close();
    await basic.close();
  });

  it('reports both checks passing and exits 0', async () => {
    const r = await check({
      ATLAS_OPENEHR_BASE_URL: open.baseUrl,
      ATLAS_POSTGRESQL_CONNECTION_STRING: db.url,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`✓ openEHR server ${open.baseUrl}: reachable, credentials accepted`);
    expect(r.stdout).toMatch(/✓ PostgreSQL: connected \(PostgreSQL \d+/);
  });

  it('says the embedded database does not exist yet instead of creating it', async () => {
    const r = await check({ ATLAS_OPENEHR_BASE_URL: open.baseUrl });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ embedded database .*\.atlas\/db: not created yet/);
  });

  it('exits 3 when the openEHR server refuses the credentials, without printing the password', async () => {
    const r = await check({
      ATLAS_OPENEHR_BASE_URL: basic.baseUrl,
      ATLAS_OPENEHR_USERNAME: basic.credentials.username,
      ATLAS_OPENEHR_PASSWORD: 'wrong-password-123',
      ATLAS_POSTGRESQL_CONNECTION_STRING: db.url,
    });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain(`✗ openEHR server ${basic.baseUrl}`);
    expect(r.stdout).toContain('✓ PostgreSQL');
    expect(r.stdout + r.stderr).not.toContain('wrong-password-123');
  });

  it('exits 4 when the database cannot be reached', async () => {
    const r = await check({
      ATLAS_OPENEHR_BASE_URL: open.baseUrl,
      ATLAS_POSTGRESQL_CONNECTION_STRING: 'postgresql://atlas:pw-not-shown@127.0.0.1:1/atlas',
      ATLAS_POSTGRESQL_CONNECTION_TIMEOUT_SECONDS: '5',
    });
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toContain('✗ PostgreSQL');
    expect(r.stdout + r.stderr).not.toContain('pw-not-shown');
  });

  it('exits 4 when the openEHR server cannot be reached', async () => {
    const gone = await startSimulator({ ehrs: 1, dataDir: SHARED_FIXTURES_MANIFEST });
    const url = gone.baseUrl;
    await gone.close();
    const r = await check({
      ATLAS_OPENEHR_BASE_URL: url,
      ATLAS_OPENEHR_RETRY_MAX_RETRIES: '0',
      ATLAS_POSTGRESQL_CONNECTION_STRING: db.url,
    });
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toContain(`✗ openEHR server ${url}`);
  });
});
