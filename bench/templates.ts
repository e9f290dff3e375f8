#!/usr/bin/env node
/**
 * `npm run bench:templates`: time of `atlas template web-template` on one OPT (default: the 1.2 MB
 * corona_anamnese.opt of ../shared/openehr-fixtures), in process, after warm-up. Goal (issue 20): < 300 ms.
 *
 *   node dist/bench/templates.js [--file X.opt] [--runs 20] [--cold]
 *
 * Reports the median / min / max of the whole step (wall time and this process's CPU time) (XML text → web-template JSON text) and of its two parts
 * (OPT XML parsing, web-template generation). `--cold` also times the very first run in a fresh process
 * (module loading and JIT warm-up included), which is what a single CLI call pays.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseOpt } from '../src/template/opt/parse-opt.js';
import { buildWebTemplateJson } from '../src/template/web-template/index.js';
import { repoRoot } from './paths.js';
import { figureOf } from './stats.js';

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function main(): void {
  const argv = process.argv.slice(2);
  const file = resolve(
    option(argv, '--file') ??
      join(repoRoot(), '..', 'shared', 'openehr-fixtures', 'templates', 'corona_anamnese.opt'),
  );
  const runs = Number.parseInt(option(argv, '--runs') ?? '20', 10);
  const xml = readFileSync(file, 'utf8');

  const t0 = performance.now();
  const first = buildWebTemplateJson(parseOpt(xml));
  const cold = performance.now() - t0;

  for (let i = 0; i < 5; i++) buildWebTemplateJson(parseOpt(xml));
  const total: number[] = [];
  const parse: number[] = [];
  const build: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuBefore = process.cpuUsage();
    const a = performance.now();
    const opt = parseOpt(xml);
    const b = performance.now();
    buildWebTemplateJson(opt);
    const c = performance.now();
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    parse.push(b - a);
    build.push(c - b);
    total.push(c - a);
  }
  const fmt = (values: number[]) => {
    const f = figureOf(values);
    return `median ${f.median.toFixed(1)} ms (min ${f.min.toFixed(1)}, max ${f.max.toFixed(1)})`;
  };
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  process.stdout.write(
    [
      `web template of ${file} (${kib(Buffer.byteLength(xml))} OPT → ${kib(Buffer.byteLength(first))} JSON), ${runs} runs, Node ${process.version}`,
      `  whole step  ${fmt(total)}   goal < 300 ms`,
      `  CPU time    ${fmt(cpu)}   (steadier than wall time on a shared machine; includes GC threads)`,
      `  parse OPT   ${fmt(parse)}`,
      `  generate    ${fmt(build)}`,
      ...(argv.includes('--cold') ? [`  first run in this process (cold): ${cold.toFixed(1)} ms`] : []),
      '',
    ].join('\n'),
  );
}

main();
