import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError, coerceError } from '../../errors.js';
import type { WebTemplate as CodecWebTemplate } from '../../template/codec/types.js';
import { buildWebTemplateJson, parseOpt, webTemplateFromOpt } from '../../template/index.js';
import { addExamples } from '../help/examples.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';
import { registerTemplateConvert } from './template-convert.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of FILE, or of standard input for `-`; a file that cannot be read is a usage error (exit 2). */
export async function readInput(file: string, what: string): Promise<string> {
  try {
    return file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the ${what} ${file}: ${coerceError(err).message}`, { cause: err });
  }
}

/** `atlas template web-template FILE.opt`: the web template EHRbase would serve for this OPT. */
async function runWebTemplate(file: string, opts: { compact?: boolean }): Promise<number> {
  const xml = await readInput(file, 'operational template');
  // parseOpt throws InvalidOptError (exit 2) naming the line and element; nothing is printed then.
  const json = buildWebTemplateJson(parseOpt(xml), opts.compact ? 0 : 2);
  process.stdout.write(`${json}\n`);
  return 0;
}

/**
 * `atlas template …`: openEHR templates without a server (docs/templates.md). The names of the group and of
 * its subcommands are fixed (scripts call them).
 */
export const templateCommand: CommandModule = {
  register(program: Command) {
    const template = program
      .command('template')
      .description('openEHR templates without a server: web templates from OPTs, FLAT ⇄ canonical');

    const webTemplate = template
      .command('web-template')
      .description('print the web template (application/openehr.wt+json, as EHRbase serves it) of an OPT')
      .argument('<file>', 'the operational template, ADL 1.4 XML (- = standard input)')
      .option('--compact', 'print the JSON on one line')
      .action(action((file: string, opts: { compact?: boolean }) => runWebTemplate(file, opts)));
    addExamples(webTemplate, [
      [
        'atlas template web-template vital_signs.opt > vital_signs.wt.json',
        'the web template of a template file',
      ],
      [
        'curl -s "$EHRBASE/definition/template/adl1.4/x" | atlas template web-template -',
        'from standard input',
      ],
      ['atlas template web-template --compact x.opt', 'on one line'],
    ]);

    // FLAT ⇄ canonical: `to-flat`, `to-canonical`, with --template FILE.opt through the OPT generator.
    registerTemplateConvert(template, {
      webTemplateFromOpt: (xml) => webTemplateFromOpt(xml) as unknown as CodecWebTemplate,
    });

    addExamples(template, [
      ['atlas template web-template vital_signs.opt', 'web template of an OPT, as EHRbase would serve it'],
    ]);
  },
};
