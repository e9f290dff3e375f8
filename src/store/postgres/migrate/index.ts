import type { Logger } from '../../../context.js';
import type { StoreAccess } from '../../types.js';
import { runMigrate } from './migrate.js';
import { readMigrationStatus } from './status.js';
import type { MigrationReport, MigrationStatus, Queryable } from './types.js';

export type {
  LedgerRow,
  LegacyChange,
  MigrationReport,
  MigrationState,
  MigrationStatus,
  MigrationStep,
  MigrationStepKind,
  PrivilegeReport,
  TableComparison,
} from './types.js';

/**
 * Applies pending migrations to `opts.schema` (see migrate.ts). Used before every command that touches the
 * database and by `atlas migrate`. Throws SchemaError for drift, a newer database, a legacy layout that needs
 * a human, missing privileges (with the GRANT / ALTER … OWNER statements to run) or a failed migration (named
 * file, line and statement; rolled back).
 *
 * `access` (default 'write') is what the caller will do afterwards: read-only commands pass 'read' so a role
 * with SELECT only is not refused.
 */
export async function migrate(
  client: Queryable,
  opts: {
    schema: string;
    logger?: Logger;
    dryRun?: boolean;
    dropLegacyColumns?: boolean;
    migrationsDir?: string;
    access?: StoreAccess;
    lockTimeoutMs?: number;
  },
): Promise<MigrationReport> {
  return runMigrate(client, opts);
}

/** Read-only report for `atlas migrate status` (never changes anything). */
export async function migrationStatus(
  client: Queryable,
  opts: { schema: string; migrationsDir?: string; access?: StoreAccess },
): Promise<MigrationStatus> {
  return readMigrationStatus(client, opts);
}
