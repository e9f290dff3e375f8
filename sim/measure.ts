#!/usr/bin/env node
/**
 * Throughput of the simulator as the export benchmark uses it: FLAT GETs/s and 1,000-row AQL pages/s
 * over keep-alive loopback connections. The simulator runs in its own process (like in the benchmark)
 * so client and server do not share an event loop.
 *
 *   node dist/sim/measure.js [--compositions 1000000] [--ehrs 10000] [--seconds 10] [--concurrency 32]
 *   node dist/sim/measure.js --url http://127.0.0.1:PORT/ehrbase/rest/openehr/v1   (an already running sim)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const compositions = arg('compositions', 1_000_000);
const ehrs = arg('ehrs', 10_000);
const seconds = arg('seconds', 10);
const concurrency = arg('concurrency', 32);

const given = process.argv.indexOf('--url');
const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const started = Date.now();
const child =
  given >= 0
    ? undefined
    : spawn(process.execPath, [cli, '--compositions', String(compositions), '--ehrs', String(ehrs)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
const baseUrl = child
  ? ((await once(child.stdout!, 'data')) as [Buffer])[0].toString().split('\n')[0]!
  : process.argv[given + 1]!;
const startupMs = Date.now() - started;
const url = new URL(baseUrl);
const pool = new Pool(url.origin, { connections: concurrency, pipelining: 1 });
const path = url.pathname;

const Q =
  'SELECT e/ehr_id/value, c/uid/value, v/commit_audit/time_committed/value FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c ' +
  'WHERE c/archetype_details/template_id/value = $t AND v/commit_audit/time_committed >= $since ' +
  'ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC';

async function aqlPage(since: string): Promise<string[][]> {
  const res = await pool.request({
    method: 'POST',
    path: `${path}/query/aql`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ q: Q, fetch: 1000, query_parameters: { t: 'vital_signs.v1', since } }),
  });
  const body = (await res.body.json()) as { rows: string[][] };
  if (res.statusCode !== 200) throw new Error(`AQL ${res.statusCode}`);
  return body.rows;
}

async function serverCpuUs(): Promise<number> {
  const res = await pool.request({ method: 'GET', path: '/_sim/process' });
  const p = (await res.body.json()) as { cpuUserUs: number; cpuSystemUs: number };
  return p.cpuUserUs + p.cpuSystemUs;
}

try {
  const cpuBeforeAql = await serverCpuUs();
  // AQL pages/s: keyset paging through the template by commit time, one page after the other.
  const targets: string[][] = [];
  let since = '1970-01-01T00:00:00Z';
  let pages = 0;
  const aqlStart = performance.now();
  while (performance.now() - aqlStart < seconds * 1000) {
    const rows = await aqlPage(since);
    pages++;
    if (targets.length < 200_000) targets.push(...rows);
    if (rows.length < 1000) since = '1970-01-01T00:00:00Z';
    else since = rows[rows.length - 1]![2]!;
  }
  const aqlSeconds = (performance.now() - aqlStart) / 1000;
  const cpuAfterAql = await serverCpuUs();

  // FLAT GETs/s with `concurrency` requests in flight.
  let gets = 0;
  let bytes = 0;
  const getStart = performance.now();
  const worker = async (offset: number) => {
    for (let k = offset; performance.now() - getStart < seconds * 1000; k += concurrency) {
      const [ehrId, uid] = targets[k % targets.length]!;
      const res = await pool.request({
        method: 'GET',
        path: `${path}/ehr/${ehrId}/composition/${uid}?format=FLAT`,
      });
      const buf = await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`GET ${res.statusCode}`);
      bytes += buf.byteLength;
      gets++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, k) => worker(k)));
  const getSeconds = (performance.now() - getStart) / 1000;
  const cpuAfterGets = await serverCpuUs();
  process.stdout.write(
    `${JSON.stringify(
      {
        compositions,
        ehrs,
        startupMs,
        aqlPagesPerSecond: Math.round(pages / aqlSeconds),
        aqlRowsPerPage: 1000,
        serverCpuMsPerAqlPage: Number(((cpuAfterAql - cpuBeforeAql) / 1000 / pages).toFixed(2)),
        serverCpuUsPerFlatGet: Math.round((cpuAfterGets - cpuAfterAql) / Math.max(gets, 1)),
        flatGetsPerSecond: Math.round(gets / getSeconds),
        avgFlatBytes: Math.round(bytes / Math.max(gets, 1)),
        concurrency,
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await pool.close();
  child?.kill('SIGTERM');
}
