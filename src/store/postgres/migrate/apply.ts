import type pg from 'pg';
import { SchemaError } from '../../../errors.js';
import type { PlannedStatement, PlannedStep } from './plan.js';

/** A statement failed because the role lacks a privilege (42501, e.g. "must be owner of table"). */
export class PrivilegeFailure extends Error {
  constructor(
    message: string,
    readonly step: PlannedStep,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Runs one step in its own transaction, statement by statement, so a failure rolls the whole step back
 * (data and ledger row together) and the error names the file, the line and the statement.
 */
export async function executeStep(client: pg.ClientBase, step: PlannedStep): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const st of step.statements) {
      try {
        await client.query(st.sql);
      } catch (err) {
        throw describeFailure(err, st, step);
      }
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** 55P03: `lock_timeout` expired while waiting for another session's lock. */
const LOCK_NOT_AVAILABLE = '55P03';

const LOCK_HINT =
  '\nAnother session held a lock on a table this migration changes for longer than the migration waits ' +
  '(a long query or a transaction left open). Find it with\n' +
  "  SELECT pid, application_name, state, xact_start, query FROM pg_stat_activity WHERE xact_start < now() - interval '1 minute';\n" +
  'let it finish (or end it with pg_terminate_backend(pid)), then run Atlas again.';

function describeFailure(err: unknown, st: PlannedStatement, step: PlannedStep): Error {
  const pgErr = err as { code?: string; message?: string; position?: string; detail?: string };
  const where = st.line === undefined ? st.origin : `${st.origin} line ${lineOf(st, pgErr.position)}`;
  const what = step.file ? `migration ${step.file}` : `step "${step.description}"`;
  const message =
    `${what} failed at ${where}: ${pgErr.message ?? String(err)}${pgErr.detail ? ` (${pgErr.detail})` : ''}\n` +
    `  statement: ${abbreviate(st.sql)}\n` +
    `The step was rolled back: the database is as it was before it.` +
    (pgErr.code === LOCK_NOT_AVAILABLE ? LOCK_HINT : '');
  if (pgErr.code === '42501') return new PrivilegeFailure(message, step, { cause: err });
  return new SchemaError(message, { cause: err });
}

/** The line of the error inside the file: the statement's first line plus the lines before PostgreSQL's position. */
function lineOf(st: PlannedStatement, position: string | undefined): number {
  const start = st.line ?? 1;
  const pos = Number(position);
  if (!Number.isInteger(pos) || pos < 1) return start;
  return start + (st.sql.slice(0, pos - 1).match(/\n/g)?.length ?? 0);
}

function abbreviate(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 300 ? `${one.slice(0, 300)}…` : one;
}

const DDL_TARGET =
  /\b(?:alter\s+table(?:\s+if\s+exists)?(?:\s+only)?|comment\s+on\s+(?:table|column)|create\s+(?:unique\s+)?index(?:\s+if\s+not\s+exists)?(?:\s+"?\w+"?)?\s+on(?:\s+only)?|update|delete\s+from|insert\s+into|drop\s+table(?:\s+if\s+exists)?)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?/gi;

/** Tables a step's statements alter, comment on, index or modify (they must exist and be owned by the role). */
export function tablesTouched(steps: readonly PlannedStep[]): Set<string> {
  const out = new Set<string>();
  for (const s of steps) {
    for (const st of s.statements) {
      for (const m of st.sql.matchAll(DDL_TARGET)) if (m[1]) out.add(m[1].toLowerCase());
    }
  }
  return out;
}

/** Whether any step creates a table (needs CREATE on the schema). */
export function createsTables(steps: readonly PlannedStep[]): boolean {
  return steps.some((s) => s.statements.some((st) => /\bcreate\s+table\b/i.test(st.sql)));
}
