import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { querySql } from '../../app/database.js';
import { ConfigError, coerceError } from '../../errors.js';
import { formatCsv, formatJson, formatTable } from '../../util/table.js';
import { addExamples } from '../help/examples.js';
import { withQueryContext } from '../query-context.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

interface SqlOptions {
  file?: string;
  db?: string;
  json?: boolean;
  csv?: boolean;
}

async function readSql(query: string | undefined, file: string | undefined): Promise<string> {
  if (query !== undefined && file !== undefined)
    throw new ConfigError('give the query as an argument or with --file, not both');
  let text = query;
  if (file !== undefined) {
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read the query from ${file}: ${coerceError(err).message}`, {
        cause: err,
      });
    }
  }
  if (text === undefined || text.trim() === '')
    throw new ConfigError('no query given: atlas sql "SELECT …" (or --file)');
  return text;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `atlas sql`: one query (or several statements: the last result is printed) against the configured database,
 * embedded or PostgreSQL, or an embedded database directory named with --db. Read-only by convention, not
 * enforced: it is the user's database. The schema is not migrated first.
 */
async function runSql(cmd: Command, query: string | undefined, opts: SqlOptions): Promise<number> {
  const sql = await readSql(query, opts.file);
  return withQueryContext(cmd, opts.db, async (ctx) => {
    const result = await querySql(ctx, sql);
    process.stdout.write(opts.json ? formatJson(result) : opts.csv ? formatCsv(result) : formatTable(result));
    return 0;
  });
}

export const sqlCommand: CommandModule = {
  register(program: Command) {
    const cmd = program
      .command('sql')
      .description(
        'run SQL against the database Atlas writes to (embedded or PostgreSQL) and print the result',
      )
      .argument('[query]', 'the SQL text (quote it for the shell)')
      .option('-f, --file <file>', 'read the SQL from a file (- = standard input)')
      .option('--db <dir>', 'query this embedded database directory instead of the configured database')
      .addOption(new Option('--json', 'print the rows as a JSON array').conflicts('csv'))
      .addOption(new Option('--csv', 'print the rows as CSV with a header line').conflicts('json'))
      .action(action((query: string | undefined, opts: SqlOptions, c: Command) => runSql(c, query, opts)));
    addExamples(cmd, [
      ['atlas sql "SELECT template_id, count(*) FROM compositions GROUP BY 1"', 'configured database'],
      ['atlas sql --db .atlas/demo "SELECT * FROM export_runs"', "the demo's database"],
      ['atlas sql -c prod.toml --csv -f report.sql > report.csv', 'a query file, as CSV'],
      ['atlas sql --json "SELECT id, content FROM compositions LIMIT 1"', 'rows as JSON'],
    ]);
    cmd.addHelpText(
      'after',
      '\nA query the database rejects exits 4 with its message. The embedded database can be opened by one\n' +
        'process at a time; while `atlas db serve` holds it, query it through psql instead.\n',
    );
  },
};
