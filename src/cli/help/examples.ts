import type { Command } from 'commander';

/**
 * Appends an "Examples:" section to a command's --help: each example is a command line and what it does.
 * One format for every command, so users recognise it.
 */
export function addExamples(cmd: Command, examples: ReadonlyArray<readonly [string, string]>): Command {
  const width = Math.max(...examples.map(([line]) => line.length));
  const text = examples.map(([line, what]) => `  $ ${line.padEnd(width)}  ${what}`).join('\n');
  return cmd.addHelpText('after', `\nExamples:\n${text}\n`);
}
