import type { Command } from 'commander';

/**
 * Appends an "Examples:" section to a command's --help: each example is what it does (as a comment) and the
 * command line, so lines stay short and can be copied as they are. One format for every command.
 */
export function addExamples(cmd: Command, examples: ReadonlyArray<readonly [string, string]>): Command {
  const text = examples.map(([line, what]) => `  # ${what}\n  $ ${line}`).join('\n');
  return cmd.addHelpText('after', `\nExamples:\n${text}\n`);
}
