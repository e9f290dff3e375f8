import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../util/package-root.js';

export interface SimulatorPopulation {
  ehrs: number;
  compositions: number;
  seed: number;
  /** OPT files or folders: the simulator generates their populations instead of the demo data's. */
  templates?: string[];
}

/** The simulator running as a child process. */
export interface RunningSimulator {
  /** openEHR REST base URL (the first line the simulator prints). */
  baseUrl: string;
  /** Stops it (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** The built simulator entry point, found from the package root (dist/sim/cli.js). */
export function simulatorScript(): string {
  const script = join(packageRoot(), 'dist', 'sim', 'cli.js');
  if (!existsSync(script))
    throw new Error(`the simulator is not built (${script} is missing); run \`npm run build\``);
  return script;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts `atlas-sim` as a separate process on a random loopback port and waits for its base URL. The
 * exporter never imports the simulator (architecture rule); it talks to it over HTTP like to any server.
 * A guard kills the child if this process exits without stopping it (an exit from a signal handler).
 */
export async function startSimulatorProcess(pop: SimulatorPopulation): Promise<RunningSimulator> {
  const args = ['--port', '0', '--seed', String(pop.seed), '--ehrs', String(pop.ehrs)];
  args.push('--compositions', String(pop.compositions));
  if (pop.templates && pop.templates.length > 0) args.push('--templates', pop.templates.join(','));
  const child = spawn(process.execPath, [simulatorScript(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const guard = () => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.on('exit', guard);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    process.off('exit', guard);
    if (exited(child)) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await gone;
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    const baseUrl = await firstLine(child, () => stderr);
    child.stdout?.resume(); // keep the pipe drained
    return { baseUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function firstLine(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(
      () => fail(new Error('the simulator did not start within 60 s')),
      START_TIMEOUT_MS,
    );
    const onExit = (code: number | null) =>
      fail(
        new Error(
          `the simulator exited (code ${code}) before it was ready: ${stderr().trim() || 'no output'}`,
        ),
      );
    const onError = (err: Error) =>
      fail(new Error(`cannot start the simulator: ${err.message}`, { cause: err }));
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      lines.off('line', onLine);
    };
    function fail(err: Error) {
      cleanup();
      lines.close();
      reject(err);
    }
    function onLine(line: string) {
      cleanup();
      lines.close();
      if (/^https?:\/\//.test(line.trim())) resolve(line.trim());
      else reject(new Error(`unexpected first line from the simulator: ${line.slice(0, 200)}`));
    }
    lines.on('line', onLine);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
