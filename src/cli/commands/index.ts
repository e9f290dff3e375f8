import type { Command } from 'commander';
import { exportModule } from './export.js';
import { initCommand } from './init.js';
import { migrateCommand } from './migrate.js';
import { statusModule } from './status.js';
import { validateConfigCommand } from './validate-config.js';
import { verifyModule } from './verify.js';
import { viewsCommand } from './views.js';

/** A CLI command: one file per command, registered here. */
export interface CommandModule {
  register(program: Command): void;
}

// One line per command module (keep alphabetical).
export const commandModules: CommandModule[] = [
  exportModule,
  initCommand,
  migrateCommand,
  statusModule,
  validateConfigCommand,
  verifyModule,
  viewsCommand,
];
