import type { Command } from 'commander';
import { commandExamples } from '../help/command-examples.js';
import { dbCommand } from './db.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { initCommand } from './init.js';
import { migrateCommand } from './migrate.js';
import { sqlCommand } from './sql.js';
import { statusCommand } from './status.js';
import { templateCommand } from './template.js';
import { validateConfigCommand } from './validate-config.js';
import { verifyCommand } from './verify.js';
import { viewsCommand } from './views.js';

/** A CLI command: one file per command, registered here. */
export interface CommandModule {
  register(program: Command): void;
}

// One line per command module (keep alphabetical).
export const commandModules: CommandModule[] = [
  dbCommand,
  demoCommand,
  exportCommand,
  initCommand,
  migrateCommand,
  sqlCommand,
  statusCommand,
  templateCommand,
  validateConfigCommand,
  verifyCommand,
  viewsCommand,
  // Must stay last: adds help examples to the commands registered above.
  commandExamples,
];
