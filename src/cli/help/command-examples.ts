import type { EventEmitter } from 'node:events';
import type { Command } from 'commander';
import type { CommandModule } from '../commands/index.js';
import { addExamples } from './examples.js';

type Examples = ReadonlyArray<readonly [string, string]>;

/** Examples for the top-level help and for commands whose files do not carry their own. Path = command names. */
const EXAMPLES: ReadonlyArray<readonly [string[], Examples]> = [
  [
    [],
    [
      ['atlas demo', 'try it: simulator → embedded database → sample queries'],
      ['atlas init', 'write atlas.toml for your server'],
      ['atlas validate-config --check', 'check it, and that both servers answer'],
      ['atlas export', 'incremental export (the first run exports everything)'],
      ['atlas verify', 'prove the database matches the server'],
      ['atlas status', 'what was exported, when, what failed'],
      ['atlas -c prod.toml export --yes', 'another configuration file, no prompt'],
    ],
  ],
  [
    ['init'],
    [
      ['atlas init', 'minimal atlas.toml: embedded database, the bundled simulator'],
      ['atlas init --with-examples -o prod.toml', 'every key, commented, with its variable and default'],
      ['atlas init --force', 'overwrite an existing atlas.toml'],
    ],
  ],
  [
    ['validate-config'],
    [
      ['atlas validate-config', 'offline: every problem at once, secrets masked'],
      ['atlas validate-config --check', 'also connect to the openEHR server and the database'],
      ['ATLAS_OPENEHR_PASSWORD=… atlas validate-config -c prod.toml --check', 'secrets from the environment'],
    ],
  ],
  [
    ['sync'],
    [
      ['atlas sync --every 1m', 'a cycle every minute; /healthz, /readyz, /metrics on 127.0.0.1:9477'],
      ['atlas sync --once', 'one cycle, then exit'],
      ['atlas sync --listen 0.0.0.0:9477', 'let Prometheus scrape it (behind a network policy)'],
      ['kill -HUP <pid>', 'reload the configuration before the next cycle'],
    ],
  ],
  [
    ['export'],
    [
      ['atlas export', 'incremental: what changed since the last run (the first run exports everything)'],
      ['atlas export --mode full', 'everything again; unchanged rows are left alone'],
      ['atlas export --reconcile', 'incremental, and mark compositions deleted in the source'],
      [
        'atlas export --dry-run --template-id vital_signs.v1 --since 2024-01-01',
        'what would be written for one template since a date; writes nothing',
      ],
      ['atlas export --yes --json', 'no prompt; the summary as JSON (for scripts)'],
    ],
  ],
  [
    ['verify'],
    [
      ['atlas verify', 'counts and versions of every configured template; exit 1 when they differ'],
      ['atlas verify --sample 200', 'also compare the content of 200 random compositions per template'],
      ['atlas verify --template-id vital_signs.v1 --json', 'one template, the report as JSON'],
    ],
  ],
  [
    ['status'],
    [
      ['atlas status', 'per template: cursor, counts, last run, failures; recent watermarks'],
      ['atlas status --status failed --limit 20', 'the first 20 failed watermarks'],
      ['atlas status --json', 'the same as JSON'],
    ],
  ],
  [
    ['migrate'],
    [
      ['atlas migrate', 'apply pending migrations (also upgrades an original Atlas schema in place)'],
      ['atlas migrate --dry-run > upgrade.sql', 'the SQL that would run, executed nowhere'],
      ['atlas migrate status', 'applied/pending migrations, schema differences, privileges'],
    ],
  ],
  [
    ['views'],
    [
      ['atlas views generate', 'typed views for every exported template'],
      ['atlas views list', 'the generated views'],
      ['atlas views drop --dry-run', 'print the DROP statements only'],
    ],
  ],
  [
    ['migrate', 'up'],
    [
      ['atlas migrate', 'apply pending migrations (also upgrades an original Atlas schema in place)'],
      ['atlas migrate --dry-run > upgrade.sql', 'the SQL that would run, executed nowhere'],
      ['atlas migrate up --drop-legacy-columns', 'after an upgrade: drop columns no migration defines'],
    ],
  ],
  [
    ['migrate', 'status'],
    [
      ['atlas migrate status', 'applied/pending migrations, schema differences, privileges'],
      ['atlas migrate status --json', 'the same as JSON (exit 4 when Atlas cannot use the database)'],
    ],
  ],
  [
    ['views', 'generate'],
    [
      ['atlas views generate', 'typed views for every exported template'],
      ['atlas views generate --template-id vital_signs.v1 --dry-run', 'print the SQL only'],
      ['atlas views generate --materialized', 'materialized views'],
    ],
  ],
  [
    ['views', 'list'],
    [
      ['atlas views list', 'the generated views'],
      ['atlas views list --json', 'as JSON'],
    ],
  ],
  [
    ['views', 'drop'],
    [
      ['atlas views drop --template-id vital_signs.v1', "drop one template's views"],
      ['atlas views drop --dry-run', 'print the DROP statements only'],
    ],
  ],
];

function find(program: Command, path: string[]): Command | undefined {
  let cmd: Command | undefined = program;
  for (const name of path) cmd = cmd?.commands.find((c) => c.name() === name);
  return cmd;
}

/**
 * Registered after every command: adds the examples above to the commands that have none yet. A command
 * whose own file adds help text (an `afterHelp` listener) keeps its own and gets nothing from here, so
 * examples are never shown twice.
 */
export const commandExamples: CommandModule = {
  register(program: Command) {
    for (const [path, examples] of EXAMPLES) {
      const cmd = find(program, path);
      // Commander's Command is an EventEmitter at run time; its typings do not say so.
      if (cmd && (cmd as unknown as EventEmitter).listenerCount('afterHelp') === 0)
        addExamples(cmd, examples);
    }
  },
};
