import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportSummary } from '../src/export/types.js';
import { distPath } from './paths.js';
import { procChildren, procCpuSeconds, procPeakRss } from './proc.js';

export interface ExporterJob {
  baseUrl: string;
  databaseUrl: string;
  templateIds: string[];
  mode: 'full' | 'incremental';
  /** Extra TOML lines appended to the generated file (e.g. an [anonymization] table). */
  extraToml?: string;
  /** Extra environment (e.g. ATLAS_ANONYMIZATION_KEY: secrets never go into the file). */
  env?: Record<string, string>;
  /** Extra node flags for the exporter (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Extra `atlas export` flags (e.g. --batch-size 2000). */
  exportFlags?: string[];
  /** Accept exit 1 when it only means some compositions failed for good (the fault-mix scenarios). */
  allowFailures?: boolean;
}

export interface ExporterRun {
  wallSeconds: number;
  /** The engine's own duration (from its summary): without process start-up and shutdown. */
  engineSeconds: number;
  peakRssBytes: number;
  cpuSeconds: number;
  /** How peak RSS was measured: `/usr/bin/time` (exact) or VmHWM polled every 100 ms. */
  rssMethod: 'time' | 'poll';
  summary: ExportSummary;
  exitCode: number;
}

const TIME = '/usr/bin/time';

function toml(job: ExporterJob): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    'database_target = "postgresql"',
    '[openehr]',
    `base_url = ${q(job.baseUrl)}`,
    '[openehr.query]',
    `template_ids = [${job.templateIds.map(q).join(', ')}]`,
    '[postgresql]',
    `connection_string = ${q(job.databaseUrl)}`,
    '[export]',
    `mode = ${q(job.mode)}`,
    job.extraToml ?? '',
  ].join('\n');
}

/** Parses `/usr/bin/time -f '%M %U %S'` output (max RSS in KiB, user and system seconds). */
function parseTimeFile(path: string): { rss: number; cpu: number } | undefined {
  if (!existsSync(path)) return undefined;
  const last = readFileSync(path, 'utf8').trim().split('\n').pop() ?? '';
  const [rss, user, sys] = last.split(' ').map(Number);
  if (!Number.isFinite(rss) || !Number.isFinite(user) || !Number.isFinite(sys)) return undefined;
  return { rss: rss! * 1024, cpu: user! + sys! };
}

/**
 * Runs `node dist/src/cli/main.js export -c <generated toml> --yes --json` as its own process and measures
 * it: wall time, peak RSS and CPU (through /usr/bin/time when installed, else by polling /proc every 100 ms),
 * and the JSON summary it prints.
 */
export async function runExporter(job: ExporterJob): Promise<ExporterRun> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-export-'));
  try {
    const config = join(dir, 'atlas.toml');
    writeFileSync(config, toml(job));
    const timeFile = join(dir, 'time.txt');
    const node = [
      ...(job.nodeFlags ?? []),
      distPath('src', 'cli', 'main.js'),
      'export',
      '-c',
      config,
      '--yes',
      '--json',
      ...(job.exportFlags ?? []),
    ];
    const useTime = existsSync(TIME);
    const [cmd, args] = useTime
      ? [TIME, ['-f', '%M %U %S', '-o', timeFile, process.execPath, ...node]]
      : [process.execPath, node];
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd: dir,
      env: { ...process.env, ...job.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-8000);
    });
    let polledRss = 0;
    let polledCpu = 0;
    const poll = setInterval(() => {
      const pid = useTime ? procChildren(child.pid!)[0] : child.pid;
      if (pid === undefined) return;
      polledRss = Math.max(polledRss, procPeakRss(pid) ?? 0);
      polledCpu = Math.max(polledCpu, procCpuSeconds(pid) ?? 0);
    }, 100);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearInterval(poll);
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const text = Buffer.concat(out).toString();
    let summary: ExportSummary & { exitCode?: number };
    try {
      summary = JSON.parse(text) as ExportSummary & { exitCode?: number };
    } catch {
      throw new Error(`atlas export exited ${code} without a JSON summary:\n${err}`);
    }
    const failuresOnly = job.allowFailures && code === 1 && summary.status === 'completed_with_failures';
    if (code !== 0 && !failuresOnly)
      throw new Error(`atlas export exited ${code}: ${summary.error?.message ?? err}`);
    const timed = useTime ? parseTimeFile(timeFile) : undefined;
    return {
      wallSeconds,
      engineSeconds: summary.durationMs / 1000,
      peakRssBytes: timed?.rss ?? polledRss,
      cpuSeconds: timed?.cpu ?? polledCpu,
      rssMethod: timed ? 'time' : 'poll',
      summary,
      exitCode: code,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
