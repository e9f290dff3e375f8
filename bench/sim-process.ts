import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Faults, LiveComposition, SimulatorStats, SimulatorTotals } from '../sim/types.js';
import { distPath } from './paths.js';

/** The simulator in its own process, driven through its /_sim control API. */
export interface BenchSim {
  readonly baseUrl: string;
  readonly pid: number;
  stats(): Promise<SimulatorStats>;
  resetStats(): Promise<void>;
  totals(): Promise<SimulatorTotals>;
  templateIds(): Promise<string[]>;
  live(templateId: string): Promise<LiveComposition[]>;
  update(objectId: string): Promise<string>;
  advanceClock(ms: number): Promise<void>;
  /** Merges fault settings (the control API's POST /faults). */
  setFaults(faults: Faults): Promise<void>;
  /** Whether the server has a web template for the template (its GET answers 200). */
  hasWebTemplate(templateId: string): Promise<boolean>;
  /** CPU time the simulator process used so far, in seconds (user + system). */
  cpuSeconds(): Promise<number>;
  close(): Promise<void>;
}

export interface SimSpec {
  compositions: number;
  ehrs: number;
  seed: number;
  /** Data directory or manifest file (`--data`); default the shipped demo templates. */
  data?: string;
  templates?: string[];
}

/** Source requests: everything the exporter can send (the control API is the harness's own). */
export function sourceRequests(stats: SimulatorStats): number {
  return Object.entries(stats).reduce((sum, [kind, n]) => (kind === 'control' ? sum : sum + n), 0);
}

export function diffStats(after: SimulatorStats, before: SimulatorStats): SimulatorStats {
  const out = { ...after };
  for (const k of Object.keys(out) as Array<keyof SimulatorStats>) out[k] = after[k] - (before[k] ?? 0);
  return out;
}

async function firstLines(
  child: ChildProcess,
  stderr: () => string,
): Promise<{ baseUrl: string; controlUrl: string }> {
  const lines = createInterface({ input: child.stdout! });
  const it = lines[Symbol.asyncIterator]();
  const exited = once(child, 'exit').then(() => {
    throw new Error(`atlas-sim exited before printing its URL: ${stderr()}`);
  });
  const first = await Promise.race([it.next(), exited]);
  const second = await Promise.race([it.next(), exited]);
  lines.close();
  if (first.done || second.done) throw new Error(`atlas-sim printed no URL: ${stderr()}`);
  const info = JSON.parse(second.value) as { controlUrl: string };
  return { baseUrl: first.value.trim(), controlUrl: info.controlUrl };
}

/** `--data MANIFEST`, or `--templates` for a folder of OPTs / .opt files (bench `--templates DIR`). */
function dataArgs(data: string): string[] {
  const isOpts = data
    .split(',')
    .every(
      (p) =>
        p.toLowerCase().endsWith('.opt') ||
        (statSync(p, { throwIfNoEntry: false })?.isDirectory() && !existsSync(join(p, 'manifest.json'))),
    );
  return isOpts ? ['--templates', data] : ['--data', data];
}

/** Starts `node dist/sim/cli.js` (loopback, random port) and waits until it serves. */
export async function startBenchSim(spec: SimSpec): Promise<BenchSim> {
  const args = [
    distPath('sim', 'cli.js'),
    '--port',
    '0',
    '--seed',
    String(spec.seed),
    '--ehrs',
    String(spec.ehrs),
    '--compositions',
    String(spec.compositions),
    ...(spec.data ? dataArgs(spec.data) : []),
    ...(spec.templates ? ['--templates', spec.templates.join(',')] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const { baseUrl, controlUrl } = await firstLines(child, () => stderr);
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${controlUrl}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`atlas-sim control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    baseUrl,
    pid: child.pid!,
    stats: () => call('GET', 'stats'),
    resetStats: async () => {
      await call('POST', 'stats/reset');
    },
    totals: () => call('GET', 'totals'),
    templateIds: () => call('GET', 'templates'),
    live: (templateId) => call('GET', `live?templateId=${encodeURIComponent(templateId)}`),
    update: async (objectId) => (await call<{ uid: string }>('POST', 'update', { objectId })).uid,
    advanceClock: async (ms) => {
      await call('POST', 'clock', { advanceMs: ms });
    },
    setFaults: async (faults) => {
      await call('POST', 'faults', faults);
    },
    hasWebTemplate: async (templateId) => {
      const res = await fetch(`${baseUrl}/definition/template/adl1.4/${encodeURIComponent(templateId)}`, {
        headers: { accept: 'application/openehr.wt+json' },
      });
      await res.arrayBuffer();
      return res.status === 200;
    },
    cpuSeconds: async () => {
      const p = await call<{ cpuUserUs: number; cpuSystemUs: number }>('GET', 'process');
      return (p.cpuUserUs + p.cpuSystemUs) / 1e6;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
