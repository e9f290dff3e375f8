import type { SqlClient } from './repository.js';

/** Advisory lock key of view generation: two generators never interleave their DDL. */
const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('atlas views generate'))`;

/**
 * Runs statements atomically in one round trip, whatever the store's driver: one DO block (a single
 * statement, hence a single transaction) executing each statement as a dollar-quoted string, so nothing in
 * a statement is interpreted by PL/pgSQL. Every tag is checked against the text it quotes.
 */
export async function runAtomically(db: SqlClient, statements: string[]): Promise<void> {
  if (statements.length === 0) return;
  const body = [LOCK_SQL, ...statements].map((s, i) => `EXECUTE ${dollarQuote(s, `s${i}`)};`).join('\n');
  // Filling occurrence tables reads every stored composition of the template, which may take longer than
  // the session's statement_timeout ([postgresql] statement_timeout_seconds, there for the export's
  // statements). The three statements run as one implicit transaction: on failure the SET is rolled back
  // too, on success RESET brings back the connection's own value.
  await db.query(
    `SET statement_timeout = 0; DO ${dollarQuote(`BEGIN\n${body}\nEND`, 'atlas_views')}; RESET statement_timeout`,
  );
}

/** The statements as a psql script (what `--dry-run` prints). */
export function printableScript(statements: string[], note?: string): string {
  if (statements.length === 0) return '';
  const head = note ? `-- ${note.split('\n').join('\n-- ')}\n` : '';
  return `${head}BEGIN;\n${LOCK_SQL};\n\n${statements.join(';\n\n')};\n\nCOMMIT;\n`;
}

function dollarQuote(text: string, base: string): string {
  let tag = `$${base}$`;
  for (let n = 1; text.includes(tag); n++) tag = `$${base}_${n}$`;
  return `${tag}${text}${tag}`;
}
