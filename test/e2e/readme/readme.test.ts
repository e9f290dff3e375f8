import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { atlas, ensureBuilt, ROOT } from '../cli/cli-process.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');

/** The body of the first fenced code block after a heading. */
function firstBlockAfter(text: string, heading: string): string {
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`no "${heading}" heading`);
  const m = text.slice(at).match(/```\w*\n([\s\S]*?)```/);
  return m?.[1] ?? '';
}

/** Markdown documents of the project whose links are checked (the READMEs and every file in docs/). */
const DOCUMENTS = [
  'README.md',
  'migrations/README.md',
  ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`),
];

describe('README.md', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('the quick start is exactly `npm install` and `npm run demo`, and the demo script runs `atlas demo`', () => {
    expect(firstBlockAfter(readme, '## Quick start')).toBe('npm install\nnpm run demo\n');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.demo).toBe('node dist/src/cli/main.js demo');
    // `npm install` builds dist/ through the prepare lifecycle script.
    expect(pkg.scripts.prepare).toBe('npm run build');
  });

  it('the test command is `npm test`, which CI runs', () => {
    expect(readme).toContain('```sh\nnpm test\n```');
    expect(read('.ci/run').split('\n')).toContain('npm test');
  });

  it('the exit-code table lists exactly the codes Atlas uses', () => {
    const section = readme.slice(readme.indexOf('## Exit codes'));
    const codes = [...section.matchAll(/^\| (\d+)\s+\|/gm)].map((m) => Number(m[1]));
    expect(codes.sort((a, b) => a - b)).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b));
  });

  it('every `atlas` command line in the README names a real command and only options it accepts', async () => {
    const lines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((m) => (m[1] ?? '').split('\n'))
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l.startsWith('atlas '));
    expect(lines.length).toBeGreaterThan(15);
    const helps = new Map<string, string>();
    const help = async (path: string[]) => {
      const key = path.join(' ');
      if (!helps.has(key)) {
        const r = await atlas([...path, '--help']);
        expect(r.code, `atlas ${key} --help`).toBe(0);
        helps.set(key, r.stdout);
      }
      return helps.get(key) ?? '';
    };
    const root = await help([]);
    for (const line of lines) {
      const words = line.split(/\s+/).slice(1);
      const path = words
        .slice(0, 2)
        .filter(
          (w, i) =>
            /^[a-z][\w-]*$/.test(w) && (i === 0 || ['views', 'migrate', 'db'].includes(words[0] ?? '')),
        );
      expect(root, line).toMatch(new RegExp(`^  ${path[0]}\\b`, 'm'));
      const own = await help(path);
      for (const flag of words.filter((w) => /^--?[\w-]+$/.test(w) && w.startsWith('-'))) {
        const name = flag.replace(/=.*$/, '');
        expect(own.includes(` ${name}`) || root.includes(` ${name}`), `${line}: ${name}`).toBe(true);
      }
    }
  });

  it.each(DOCUMENTS)('%s: every relative link points to an existing file', (doc) => {
    const text = read(doc);
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
    for (const link of links.filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith('#'))) {
      const target = resolve(dirname(join(ROOT, doc)), link.split('#')[0] ?? '');
      expect(existsSync(target), `${doc} → ${link}`).toBe(true);
    }
  });

  it('docs/README.md and the README link every document in docs/', () => {
    const index = read('docs/README.md');
    for (const f of readdirSync(join(ROOT, 'docs')).filter((f) => f !== 'README.md')) {
      expect(index, f).toContain(`](${f})`);
      expect(readme, f).toContain(`](docs/${f})`);
    }
  });
});
