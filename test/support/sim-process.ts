import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type {
  CommitResult,
  Credentials,
  Faults,
  LiveComposition,
  SimulatorStats,
  SimulatorTotals,
} from '../../sim/types.js';

/** The simulator running as a child process (`node dist/sim/cli.js`), driven through its /_sim control API. */
export interface SimProcess {
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly controlUrl: string;
  readonly credentials?: Credentials;
  readonly child: ChildProcess;
  stats(): Promise<SimulatorStats>;
  totals(): Promise<SimulatorTotals>;
  templateIds(): Promise<string[]>;
  live(templateId: string): Promise<LiveComposition[]>;
  flat(uidOrObjectId: string): Promise<Record<string, unknown>>;
  commit(templateId: string, ehrId?: string): Promise<CommitResult>;
  update(objectId: string): Promise<string>;
  remove(objectId: string): Promise<string>;
  advanceClock(ms: number): Promise<void>;
  setFaults(faults: Faults): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts `node dist/sim/cli.js` (build first) with the given command-line arguments and waits for the two
 * lines it prints: the base URL, then its details as JSON. Loopback only.
 */
export async function startSimProcess(args: string[], cwd = process.cwd()): Promise<SimProcess> {
  const child = spawn(process.execPath, [join(cwd, 'dist', 'sim', 'cli.js'), '--port', '0', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await Promise.race([
    iterator.next(),
    once(child, 'exit').then(() => {
      throw new Error(`atlas-sim exited before printing its URL: ${stderr}`);
    }),
  ]);
  const second = await iterator.next();
  lines.close();
  if (first.done || second.done) throw new Error(`atlas-sim printed no URL: ${stderr}`);
  const info = JSON.parse(second.value) as {
    baseUrl: string;
    tokenUrl: string;
    controlUrl: string;
    credentials?: Credentials;
  };
  const control = info.controlUrl;
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${control}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`atlas-sim control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    baseUrl: first.value.trim(),
    tokenUrl: info.tokenUrl,
    controlUrl: control,
    credentials: info.credentials,
    child,
    stats: () => call('GET', 'stats'),
    totals: () => call('GET', 'totals'),
    templateIds: () => call('GET', 'templates'),
    live: (templateId) => call('GET', `live?templateId=${encodeURIComponent(templateId)}`),
    flat: (id) => call('GET', `compositions/${encodeURIComponent(id)}/flat`),
    commit: (templateId, ehrId) => call('POST', 'commit', { templateId, ehrId }),
    update: async (objectId) => (await call<{ uid: string }>('POST', 'update', { objectId })).uid,
    remove: async (objectId) => (await call<{ uid: string }>('POST', 'delete', { objectId })).uid,
    advanceClock: async (ms) => {
      await call('POST', 'clock', { advanceMs: ms });
    },
    setFaults: async (faults) => {
      await call('POST', 'faults', faults);
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
