import { SchemaError } from '../../../errors.js';
import type { MigrationFile } from './files.js';
import { LEDGER_TABLE } from './ledger.js';
import { qualified } from './quote.js';
import type { LedgerRow } from './types.js';

export interface LedgerCheck {
  /** Ledger versions this code has no file for (applied by a newer Atlas). */
  unknown: LedgerRow[];
  /** Applied migrations whose file changed since. */
  drift: Array<{ row: LedgerRow; file: MigrationFile }>;
  pending: MigrationFile[];
}

export function checkLedger(files: readonly MigrationFile[], ledger: readonly LedgerRow[]): LedgerCheck {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  const applied = new Set(ledger.map((r) => r.version));
  const unknown = ledger.filter((r) => !byVersion.has(r.version));
  const drift = ledger.flatMap((row) => {
    const file = byVersion.get(row.version);
    return file && file.checksum !== row.checksum ? [{ row, file }] : [];
  });
  return { unknown, drift, pending: files.filter((f) => !applied.has(f.version)) };
}

/** The database was migrated by a newer Atlas: refuse, naming who applied what and which version is needed. */
export function newerDatabaseError(
  schema: string,
  unknown: LedgerRow[],
  files: readonly MigrationFile[],
  atlasVersion: string,
): SchemaError {
  const newest = unknown.reduce((a, b) => (b.version > a.version ? b : a));
  const known = files.at(-1)?.version ?? 0;
  return new SchemaError(
    `The database schema "${schema}" is newer than this Atlas: migration ${newest.name} (number ${newest.version}) ` +
      `was applied by Atlas ${newest.atlasVersion} on ${newest.appliedAt}, but this is Atlas ${atlasVersion}, which knows ` +
      `migrations up to ${String(known).padStart(3, '0')}. Atlas will not write to a schema it does not know: ` +
      `use Atlas ${newest.atlasVersion} or later with this database.`,
  );
}

/** An applied migration's file changed: refuse, and say how to get back in line. */
export function driftError(schema: string, drift: LedgerCheck['drift']): SchemaError {
  const lines = drift.map(
    ({ row, file }) =>
      `  - ${file.name}: applied on ${row.appliedAt} by Atlas ${row.atlasVersion} with checksum ${row.checksum.slice(0, 12)}…, ` +
      `the file now has ${file.checksum.slice(0, 12)}…`,
  );
  const fix = drift.map(
    ({ file }) =>
      `  UPDATE ${qualified(schema, LEDGER_TABLE)} SET checksum = '${file.checksum}' WHERE version = ${file.version};`,
  );
  return new SchemaError(
    `Migration file(s) changed after they were applied to schema "${schema}":\n${lines.join('\n')}\n` +
      `Released migrations must never change. Reinstall the Atlas version that applied them (its migrations/ folder), ` +
      `or, if you have checked that the database already matches the changed file, record the new checksum:\n${fix.join('\n')}`,
  );
}
