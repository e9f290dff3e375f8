import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { serveEmbeddedDatabase } from '../../app/database.js';
import { addExamples } from '../help/examples.js';
import { intOption } from '../options.js';
import { withQueryContext } from '../query-context.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

interface ServeOptions {
  port: number;
  db?: string;
}

/** Resolves on the first SIGINT or SIGTERM; the listeners are removed afterwards. */
async function untilStopped(): Promise<string> {
  const controller = new AbortController();
  try {
    return await Promise.race([
      once(process, 'SIGINT', { signal: controller.signal }).then(() => 'SIGINT'),
      once(process, 'SIGTERM', { signal: controller.signal }).then(() => 'SIGTERM'),
    ]);
  } finally {
    controller.abort();
  }
}

/**
 * `atlas db serve`: the embedded database over the PostgreSQL protocol until Ctrl+C, for psql and BI tools,
 * on a Unix socket in a private directory (PGlite accepts any password, so the file system is the access check). It holds the database's lock meanwhile, so no other Atlas process opens it at the same time.
 */
async function runServe(cmd: Command, opts: ServeOptions): Promise<number> {
  return withQueryContext(cmd, opts.db, async (ctx) => {
    const served = await serveEmbeddedDatabase(ctx, { port: opts.port });
    const dir = resolve(ctx.config.embedded.path);
    try {
      process.stdout.write(
        [
          `Serving the embedded database ${dir} on the Unix socket in ${served.socketDir} (Ctrl+C to stop).`,
          `  psql -h ${served.socketDir} -p ${served.port} -U postgres postgres`,
          `  connection string: ${served.url}`,
          'Only your user account can connect: the socket directory is private (mode 0700). The embedded',
          'database cannot check passwords, so it is not offered over TCP.',
          '',
        ].join('\n'),
      );
      const signal = await untilStopped();
      process.stderr.write(`${signal} received: stopping.\n`);
      return 0;
    } finally {
      await served.stop();
    }
  });
}

export const dbCommand: CommandModule = {
  register(program: Command) {
    const db = program
      .command('db')
      .description('the embedded database: serve it to psql and other PostgreSQL clients');
    addExamples(db, [
      ['atlas db serve --db .atlas/demo', "serve the demo's database on a private Unix socket"],
      ['psql -h <printed socket directory> -p 5433 -U postgres postgres', 'then, in another terminal'],
    ]);
    const serve = db
      .command('serve')
      .description('serve the embedded database on a private Unix socket for psql until Ctrl+C')
      .option(
        '--port <n>',
        "the port number in the socket's name (.s.PGSQL.<n>, psql -p)",
        intOption('--port', 1, 65535),
        5433,
      )
      .option('--db <dir>', 'serve this embedded database directory instead of the configured one')
      .action(action((opts: ServeOptions, c: Command) => runServe(c, opts)));
    addExamples(serve, [
      ['atlas db serve', 'the configured embedded database (embedded.path, default .atlas/db)'],
      ['atlas db serve --db .atlas/demo', "the demo's database"],
      ['psql -h <printed socket directory> -p 5433 -U postgres postgres', 'then, in another terminal'],
    ]);
  },
};
