import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Repository root: tests run with it as the working directory. */
export const ROOT = process.cwd();
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds the CLI when dist is missing or older than the sources (`npm test` has just built it, so in CI this
 * is a no-op and e2e files never rebuild under each other's feet).
 */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'sim')))) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a minimal environment (PATH only): the user's ATLAS_* variables never leak into a test. */
  env?: Record<string, string>;
  input?: string;
}

/** Environment of a spawned CLI: PATH and HOME plus what the test gives. */
export function cliEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}

/** Collects a child's output and resolves when it has exited. */
export function finished(child: ChildProcess): Promise<CliResult> & { output(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return Object.assign(done, { output: () => stdout });
}

/** `node dist/src/cli/main.js <args>` as a black box. */
export function atlas(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = spawnAtlas(args, opts);
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  return finished(child);
}

export function spawnAtlas(args: string[], opts: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: cliEnv(opts.env),
    stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

/** Waits until the child's stdout matches (or it exits first: then throws with its output). */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    const timer = setTimeout(
      () => done(new Error(`timed out waiting for ${pattern}; stdout: ${seen}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = seen.match(pattern);
      if (m) done(undefined, m);
    };
    const onErr = (d: Buffer) => {
      errors += d.toString();
    };
    const onExit = (code: number | null) =>
      done(new Error(`exited (${code}) before printing ${pattern}; stdout: ${seen}; stderr: ${errors}`));
    function done(err?: Error, m?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m as RegExpMatchArray);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}
