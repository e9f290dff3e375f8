import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from './http.js';

// The `atlas-sim` executable as users and the benchmark run it: the built dist/sim/cli.js
// (`npm run test:integration` builds first).
const CLI = join(process.cwd(), 'dist', 'sim', 'cli.js');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

async function start(args: string[]): Promise<{ child: ChildProcess; lines: string[] }> {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` before the integration tests`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout! });
  for await (const line of rl) {
    lines.push(line);
    if (lines.length === 2) break;
  }
  return { child, lines };
}

describe('atlas-sim CLI', () => {
  it('prints the base URL first, then a JSON line; serves with auth and faults; exits 0 on SIGTERM', async () => {
    const { child, lines } = await start([
      '--port',
      '0',
      '--seed',
      '42',
      '--ehrs',
      '50',
      '--auth',
      'basic',
      '--max-fetch',
      '10',
      '--faults',
      '{"endpoints":{"status":{"errorRates":{"503":1}}}}',
    ]);
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ehrbase\/rest\/openehr\/v1$/);
    const info = JSON.parse(lines[1]!);
    expect(info).toMatchObject({
      baseUrl: lines[0],
      auth: 'basic',
      flavour: 'ehrbase',
      totals: { ehrs: 50 },
    });
    const authorization = `Basic ${Buffer.from(`${info.credentials.username}:${info.credentials.password}`).toString('base64')}`;
    const ok = await call(`${lines[0]}/definition/template/adl1.4`, { headers: { authorization } });
    expect(ok.status).toBe(200);
    expect((await call(info.statusUrl, { headers: { authorization } })).status).toBe(503);
    const aql = await call(`${lines[0]}/query/aql`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'SELECT e/ehr_id/value FROM EHR e', fetch: 11 }),
    });
    expect(aql.status).toBe(422);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('runs the better flavour under /ehr/rest/openehr/v1', async () => {
    const { child, lines } = await start(['--flavour', 'better', '--ehrs', '3']);
    expect(lines[0]).toMatch(/\/ehr\/rest\/openehr\/v1$/);
    child.kill('SIGINT');
    expect((await once(child, 'exit'))[0]).toBe(0);
  });

  it('emulates a VERSION-less server and EHRbase #1382 with --reject-version-queries --flat-missing-500', async () => {
    const { child, lines } = await start(['--ehrs', '3', '--reject-version-queries', '--flat-missing-500']);
    const info = JSON.parse(lines[1]!);
    expect(await call(`${info.controlUrl}/faults`).then((r) => r.json)).toMatchObject({
      rejectVersionQueries: true,
      flatMissing500: true,
    });
    const version = await call(`${lines[0]}/query/aql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'SELECT c/uid/value FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c' }),
    });
    expect(version.status).toBe(400);
    const ehrId = (await call(`${info.controlUrl}/ehrs/0`)).json.ehrId;
    const missing = `${lines[0]}/ehr/${ehrId}/composition/0badc0de-0000-4000-8000-000000000001`;
    expect((await call(`${missing}?format=FLAT`)).status).toBe(500);
    expect((await call(`${missing}?format=JSON`)).status).toBe(404);
    child.kill('SIGTERM');
    expect((await once(child, 'exit'))[0]).toBe(0);
  });

  it('exits non-zero with a message for bad options', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, [CLI, '--flavour', 'oracle'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toContain('oracle');
  });

  it('--templates DIR generates the population of the OPTs in a folder; a missing folder exits 1', async () => {
    const dir = join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'templates');
    const { child, lines } = await start([
      '--port',
      '0',
      '--templates',
      dir,
      '--ehrs',
      '5',
      '--compositions',
      '100',
    ]);
    const info = JSON.parse(lines[1]!);
    expect(info.totals.compositions).toBe(100);
    expect(Object.keys(info.totals.liveByTemplate)).toHaveLength(25);
    const list = await call(`${lines[0]}/definition/template/adl1.4`);
    expect(list.json.map((t: { template_id: string }) => t.template_id)).toContain('Corona_Anamnese');
    child.kill('SIGTERM');
    expect((await once(child, 'exit'))[0]).toBe(0);

    const bad = spawn(process.execPath, [CLI, '--templates', './no/such/dir'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(bad);
    let stderr = '';
    bad.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = await once(bad, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('--templates: ./no/such/dir does not exist');
  });
});
