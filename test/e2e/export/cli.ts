import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = process.cwd();
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function newestTs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  if (!existsSync(CLI)) return true;
  return statSync(CLI).mtimeMs < Math.max(newestTs(join(ROOT, 'src')), newestTs(join(ROOT, 'sim')));
}

/**
 * Builds dist/ (npm run build) when it is older than the sources, once even when several e2e files ask
 * at the same time (a lock directory serialises them).
 */
export async function ensureBuilt(): Promise<void> {
  if (!isStale()) return;
  const lock = join(tmpdir(), 'atlas-e2e-build.lock');
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 600) throw new Error(`e2e build lock ${lock} held for too long; remove it if no build runs`);
      await sleep(500);
    }
  }
  try {
    if (isStale()) {
      try {
        execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
      } catch (err) {
        const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
        throw new Error(`npm run build failed:\n${out}`, { cause: err });
      }
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the built CLI; stdout/stderr are collected. The environment holds no ATLAS_* of the test run. */
export function startCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => {
    out.stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out.stderr += c.toString();
  });
  const done: Promise<CliResult> = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    ...out,
  }));
  return { child: child as ChildProcess, done, output: out };
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** Writes a TOML configuration into a fresh temporary directory and returns its path. */
export function writeConfig(toml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-e2e-'));
  const file = join(dir, 'atlas.toml');
  writeFileSync(file, toml);
  return { dir, file };
}

/** Polls until `fn` returns true (or gives up after `timeoutMs`, returning false). */
export async function waitFor(
  fn: () => Promise<boolean>,
  timeoutMs = 30_000,
  everyMs = 20,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await fn()) return true;
    await sleep(everyMs);
  }
  return false;
}
