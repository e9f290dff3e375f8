/**
 * Speed of the FLAT ⇄ canonical codec (issue 20: ≥ 10,000 compositions/s per core each way on the demo
 * templates). Single-threaded, so the figure is per core. Not a test: run it and read the numbers.
 *
 *   npm run build && node dist/bench/template-codec.js [--seconds 2]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalToFlat, flatToCanonical, type WebTemplate } from '../src/template/index.js';
import { packageRoot } from '../src/util/package-root.js';

const DEMO = join(packageRoot(), 'sim', 'data', 'demo');
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] ?? 2) || 2;
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

function rate(fn: () => void): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up (JIT)
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    elapsed = process.hrtime.bigint() - start;
  }
  return n / (Number(elapsed) / 1e9);
}

const rows: string[] = [];
let minRate = Number.POSITIVE_INFINITY;
for (const file of readdirSync(join(DEMO, 'compositions', 'canonical')).sort()) {
  const template = file.replace(/_\d+\.json$/, '');
  const wt = readJson(join(DEMO, 'web-templates', `${template}.json`)) as unknown as WebTemplate;
  const canonical = readJson(join(DEMO, 'compositions', 'canonical', file));
  const flat = readJson(join(DEMO, 'compositions', 'flat', file));
  const now = () => '2026-01-01T00:00:00.0Z';
  const toFlat = rate(() => canonicalToFlat(wt, canonical));
  const toCanonical = rate(() => flatToCanonical(wt, flat, { now }));
  minRate = Math.min(minRate, toFlat, toCanonical);
  rows.push(
    `${file.padEnd(22)} ${String(Object.keys(flat).length).padStart(5)} keys  to-flat ${Math.round(toFlat).toLocaleString('en').padStart(9)}/s  to-canonical ${Math.round(toCanonical).toLocaleString('en').padStart(9)}/s`,
  );
}
process.stdout.write(`FLAT ⇄ canonical codec, one core, node ${process.version}\n${rows.join('\n')}\n`);
process.stdout.write(
  `slowest: ${Math.round(minRate).toLocaleString('en')} compositions/s (target ≥ 10,000)\n`,
);
