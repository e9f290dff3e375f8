import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError, coerceError } from '../../errors.js';
import type { WebTemplate } from '../../template/codec/types.js';
import {
  canonicalToFlat,
  type FlatComposition,
  flatToCanonical,
  formatFlat,
  type RmObject,
} from '../../template/index.js';
import { addExamples } from '../help/examples.js';
import { action } from '../run.js';

/** Builds the web template of an operational template (ADL 1.4 XML); `source` names the file in errors. */
export type WebTemplateFromOpt = (optXml: string, source: string) => WebTemplate;

export interface TemplateConvertDeps {
  /** The OPT → web template generator; until it is wired, `--template` says so and `--web-template` works. */
  webTemplateFromOpt?: WebTemplateFromOpt;
  /** Where results go (default: stdout). */
  write?: (text: string) => void;
  /** Reads standard input for `-` (default: process.stdin). */
  readStdin?: () => Promise<string>;
}

interface ConvertFlags {
  template?: string;
  webTemplate?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readText(file: string, what: string, deps: TemplateConvertDeps): Promise<string> {
  try {
    return file === '-' ? await (deps.readStdin ?? readStdin)() : await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${file}: ${coerceError(err).message}`, { cause: err });
  }
}

function parseJsonObject(text: string, file: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${what} ${file} is not valid JSON: ${coerceError(err).message}`, { cause: err });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ConfigError(`${what} ${file} must hold a JSON object`);
  return v as Record<string, unknown>;
}

async function loadWebTemplate(flags: ConvertFlags, deps: TemplateConvertDeps): Promise<WebTemplate> {
  if ((flags.template === undefined) === (flags.webTemplate === undefined))
    throw new ConfigError(
      'give the template as --template FILE.opt or --web-template FILE.json (one of them)',
    );
  if (flags.template !== undefined) {
    if (!deps.webTemplateFromOpt)
      throw new ConfigError(
        '--template FILE.opt needs the OPT → web template generator, which this build does not include; use --web-template FILE.json',
      );
    if (flags.template === '-') throw new ConfigError('--template reads a file, not standard input');
    return deps.webTemplateFromOpt(await readText(flags.template, 'the template', deps), flags.template);
  }
  const file = flags.webTemplate!;
  const wt = parseJsonObject(await readText(file, 'the web template', deps), file, 'the web template');
  const tree = wt.tree as { id?: unknown } | undefined;
  if (typeof wt.templateId !== 'string' || !tree || typeof tree.id !== 'string')
    throw new ConfigError(`${file} is not a web template (needs "templateId" and "tree")`);
  return wt as unknown as WebTemplate;
}

async function convert(
  direction: 'to-flat' | 'to-canonical',
  file: string,
  flags: ConvertFlags,
  deps: TemplateConvertDeps,
): Promise<number> {
  const wt = await loadWebTemplate(flags, deps);
  const doc = parseJsonObject(await readText(file, 'the composition', deps), file, 'the composition');
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  if (direction === 'to-flat') write(`${formatFlat(canonicalToFlat(wt, doc as RmObject))}\n`);
  else write(`${JSON.stringify(flatToCanonical(wt, doc as FlatComposition), null, 2)}\n`);
  return 0;
}

/**
 * `atlas template to-flat FILE.json` and `atlas template to-canonical FILE.json` (`-` = stdin), registered
 * on the `template` command group. Bad input (unknown FLAT keys, wrong value types, unreadable files) is
 * exit 2 with a message naming the key or file; nothing is printed on failure.
 */
export function registerTemplateConvert(group: Command, deps: TemplateConvertDeps = {}): void {
  const options = (cmd: Command) =>
    cmd
      .option('--template <file>', 'operational template (ADL 1.4 .opt) the composition follows')
      .option('--web-template <file>', 'web template JSON (as EHRbase serves it) instead of the OPT');
  const toFlat = options(
    group
      .command('to-flat')
      .argument('<file>', 'canonical composition JSON; - reads standard input')
      .description(
        'convert a canonical JSON composition to FLAT (EHRbase simSDT), printed as EHRbase prints it',
      ),
  ).action(action((file: string, flags: ConvertFlags) => convert('to-flat', file, flags, deps)));
  const toCanonical = options(
    group
      .command('to-canonical')
      .argument('<file>', 'FLAT composition JSON; - reads standard input')
      .description('convert a FLAT composition (ctx/ keys allowed) to canonical JSON'),
  ).action(action((file: string, flags: ConvertFlags) => convert('to-canonical', file, flags, deps)));
  addExamples(toFlat, [
    ['atlas template to-flat composition.json --template vital_signs.opt', 'canonical → FLAT'],
    ['curl … | atlas template to-flat - --web-template vital_signs.wt.json', 'from standard input'],
  ]);
  addExamples(toCanonical, [
    ['atlas template to-canonical flat.json --template vital_signs.opt', 'FLAT → canonical'],
  ]);
}
