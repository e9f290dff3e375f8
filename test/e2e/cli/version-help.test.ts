import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { atlas, ensureBuilt, ROOT } from './cli-process.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Commands whose --help must carry examples. */
const WITH_EXAMPLES = [
  [],
  ['demo'],
  ['export'],
  ['verify'],
  ['status'],
  ['sql'],
  ['db'],
  ['db', 'serve'],
  ['init'],
  ['validate-config'],
  ['migrate'],
  ['migrate', 'up'],
  ['migrate', 'status'],
  ['views'],
  ['views', 'generate'],
  ['views', 'list'],
  ['views', 'drop'],
  ['template'],
  ['template', 'web-template'],
];

/** The long options a --help page lists. */
function listedOptions(help: string): Set<string> {
  return new Set([...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] ?? ''));
}

/**
 * The subcommand path at the start of an example's arguments (global `-c file` skipped). Any other option
 * ends it, so an option's value (`--status failed`) is never taken for a subcommand.
 */
function commandPath(args: string[]): string[] {
  const path: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-c' || a === '--config') i++;
    else if (/^[a-z][\w-]*$/.test(a) && path.length < 2) path.push(a);
    else break;
  }
  return path;
}

/** --help pages of the built CLI, each fetched once per file (every spawn costs a Node start). */
function helpPages(): (path: string[]) => Promise<string> {
  const pages = new Map<string, Promise<string>>();
  return (path) => {
    const key = path.join(' ');
    if (!pages.has(key))
      pages.set(
        key,
        atlas([...path, '--help']).then((r) => r.stdout),
      );
    return pages.get(key) as Promise<string>;
  };
}

/**
 * Options of a command (its own and the global ones). For a command with subcommands the options of those
 * count too (`atlas migrate --dry-run` runs its default `up`).
 */
async function optionsOf(help: (path: string[]) => Promise<string>, path: string[]): Promise<Set<string>> {
  const own = await help(path);
  const options = new Set([...listedOptions(own), ...listedOptions(await help([]))]);
  const [, commands = ''] = own.split('\nCommands:\n');
  for (const [, sub = ''] of commands.matchAll(/^ {2}([a-z][\w-]*)/gm)) {
    if (sub !== 'help') for (const o of listedOptions(await help([...path, sub]))) options.add(o);
  }
  return options;
}

describe('atlas --version and --help', () => {
  const help = helpPages();
  beforeAll(() => ensureBuilt(), 300_000);

  it('prints the version of the package and exits 0', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await atlas([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`atlas ${pkg.version}`);
    }
  });

  it('lists every command with a description', async () => {
    const r = await atlas(['--help']);
    expect(r.code).toBe(0);
    for (const name of [
      'demo',
      'init',
      'validate-config',
      'export',
      'status',
      'verify',
      'migrate',
      'views',
      'sql',
      'db',
      'template',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b.*\\S`, 'm'));
    }
  });

  it.each(WITH_EXAMPLES.map((path) => [path.join(' ') || '(atlas)', path] as const))(
    '%s --help shows examples that use only options their command accepts',
    async (_name, path) => {
      const page = await help(path);
      const [, examples = ''] = page.split('\nExamples:\n');
      const lines = [...examples.matchAll(/^ {2}\$ (.*)$/gm)].map((m) => m[1] ?? '');
      expect(lines.length, page).toBeGreaterThan(0);
      for (const line of lines) {
        const words = line.split(/\s+/);
        const at = words.indexOf('atlas');
        if (at < 0) continue; // psql and other tools
        const args = words.slice(at + 1);
        const accepted = await optionsOf(help, commandPath(args));
        for (const flag of args.filter((a) => /^--[\w-]+$/.test(a))) {
          expect(accepted.has(flag), `${line}: ${flag}`).toBe(true);
        }
      }
    },
  );

  it('exits 2 on an unknown command or option, with a hint', async () => {
    const unknownCommand = await atlas(['frobnicate']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'frobnicate'");
    const unknownOption = await atlas(['sql', '--frob', 'SELECT 1']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain('--help');
    const badNumber = await atlas(['demo', '--ehrs', 'many']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain('--ehrs must be an integer');
  });
});
