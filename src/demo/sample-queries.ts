import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** One sample query of migrations/README.md: the sentence that introduces it and its SQL. */
export interface SampleQuery {
  title: string;
  sql: string;
}

const START = '<!-- sample-queries -->';
const END = '<!-- /sample-queries -->';

/**
 * The ```sql blocks between `<!-- sample-queries -->` and `<!-- /sample-queries -->`, each titled by the
 * prose just before it (markdown backticks and a trailing colon removed). The README is the single source:
 * what the documentation shows is exactly what the demo runs.
 */
export function extractSampleQueries(markdown: string): SampleQuery[] {
  const from = markdown.indexOf(START);
  const to = markdown.indexOf(END, from);
  if (from < 0 || to < 0) throw new Error(`no ${START} … ${END} block in migrations/README.md`);
  const block = markdown.slice(from + START.length, to);
  const queries: SampleQuery[] = [];
  let last = 0;
  for (const m of block.matchAll(/```sql\n([\s\S]*?)```/g)) {
    const prose = block.slice(last, m.index).trim();
    last = m.index + m[0].length;
    const title = prose
      .split(/\n\s*\n/)
      .at(-1)
      ?.replace(/\s+/g, ' ')
      .replace(/`/g, '')
      .replace(/:$/, '')
      .trim();
    queries.push({ title: title || `Query ${queries.length + 1}`, sql: (m[1] ?? '').trim() });
  }
  if (queries.length === 0)
    throw new Error('the sample-queries block of migrations/README.md has no ```sql block');
  return queries;
}

/** The sample queries shipped with this Atlas (migrations/README.md is part of the package). */
export async function loadSampleQueries(): Promise<SampleQuery[]> {
  return extractSampleQueries(await readFile(join(packageRoot(), 'migrations', 'README.md'), 'utf8'));
}
