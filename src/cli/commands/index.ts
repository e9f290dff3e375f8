import type { Command } from 'commander';

/** A CLI command: one file per command, registered here. */
export interface CommandModule {
  register(program: Command): void;
}

// One line per command module (keep alphabetical).
export const commandModules: CommandModule[] = [];
