import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { renderMarkdown } from './report.js';
import type { BenchResults } from './results-types.js';

/** Writes <date>-<machine>[-label].json and .md, and latest.md, into the results folder; returns the paths. */
export function writeResults(results: BenchResults, outDir: string | undefined): string[] {
  const dir = outDir ?? join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const label = results.label ? `-${results.label.replace(/[^A-Za-z0-9-]/g, '')}` : '';
  const base = `${results.startedAt.slice(0, 10)}-${results.machine.name}${label}`;
  const md = renderMarkdown(results);
  const files = [join(dir, `${base}.json`), join(dir, `${base}.md`), join(dir, 'latest.md')];
  writeFileSync(files[0]!, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(files[1]!, md);
  writeFileSync(files[2]!, md);
  return files;
}
