import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Start-up figures of a population: `node dist/sim/measure-start.js <atlas-sim flags…>` spawns the simulator
 * with those flags, times it to its first stdout line (the base URL, printed once it serves), reads its RSS
 * from `/_sim/process`, GETs the FLAT of up to 100 live compositions per template and reads the RSS again.
 * Prints one JSON line. Example: `--templates ../shared/openehr-fixtures/templates --compositions 1000000`.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cli = join(fileURLToPath(new URL('.', import.meta.url)), 'cli.js');
  const started = performance.now();
  const child = spawn(process.execPath, [cli, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error('atlas-sim exited before printing its base URL');
    const base = String(first.value).trim();
    const startSeconds = (performance.now() - started) / 1000;
    const info = JSON.parse(String((await lines.next()).value)) as {
      controlUrl: string;
      totals: { compositions: number };
    };
    const get = async <T>(path: string): Promise<T> =>
      (await (await fetch(`${info.controlUrl}${path}`)).json()) as T;
    const rss = async () => Math.round((await get<{ rssBytes: number }>('/process')).rssBytes / 2 ** 20);
    const rssAtStart = await rss();
    let gets = 0;
    for (const t of await get<string[]>('/templates')) {
      const live = await get<Array<{ ehrId: string; objectId: string }>>(
        `/live?templateId=${encodeURIComponent(t)}&limit=100`,
      );
      for (const c of live) {
        await (await fetch(`${base}/ehr/${c.ehrId}/composition/${c.objectId}?format=FLAT`)).text();
        gets++;
      }
    }
    process.stdout.write(
      `${JSON.stringify({
        args: args.join(' '),
        startSeconds: Number(startSeconds.toFixed(2)),
        compositions: info.totals.compositions,
        rssMiBAtStart: rssAtStart,
        flatGets: gets,
        rssMiBAfterGets: await rss(),
      })}\n`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`measure-start: ${(err as Error).message}\n`);
  process.exit(1);
});
