import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { checkpoint, type FreshDatabase } from './postgres.js';
import { BackendCpuSampler } from './server-cpu.js';

export interface CopyRun {
  rows: number;
  bytes: number;
  seconds: number;
  serverCpuSeconds: number | undefined;
}

/**
 * The physical limit: exactly the rows the export stored, loaded straight into the same table (same
 * indexes, emptied with TRUNCATE) with one COPY FROM STDIN in text format. The rows are first copied out to a
 * temporary file; only the COPY FROM is timed.
 */
export async function copyBaseline(db: FreshDatabase): Promise<CopyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-copy-'));
  const file = join(dir, 'compositions.copy');
  const client = await db.pool.connect();
  try {
    await pipeline(client.query(copyTo('COPY compositions TO STDOUT')), createWriteStream(file));
    await client.query('TRUNCATE compositions');
    await checkpoint(db);
    const cpu = new BackendCpuSampler(db.pool, db.name);
    await cpu.start();
    const load = copyFrom('COPY compositions FROM STDIN');
    const started = process.hrtime.bigint();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), client.query(load));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { rows: load.rowCount, bytes: statSync(file).size, seconds, serverCpuSeconds: await cpu.stop() };
  } finally {
    client.release();
    rmSync(dir, { recursive: true, force: true });
  }
}
