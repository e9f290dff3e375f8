import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../context.js';
import { ConfigError } from '../errors.js';
import type { Store } from '../store/types.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../util/private-files.js';

/** Marks a directory as the demo's own: only such a directory is ever reset. */
export const DEMO_MARKER = 'atlas-demo.txt';

/**
 * Refuses a --data-dir that holds something other than a demo database (a real embedded database or any
 * other files): the demo resets its database on every run and must never wipe data it did not create.
 * Marks the directory as the demo's when it is new or empty.
 */
export function claimDemoDirectory(dir: string): void {
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
    throw new ConfigError(
      `${dir} is not empty and was not created by \`atlas demo\`; the demo resets its database on every run, ` +
        'so it only uses an empty directory or its own (choose another --data-dir)',
    );
  }
  if (!entries.includes(DEMO_MARKER)) {
    // The demo database holds (synthetic) patient records, but it is a database like any other: private.
    makePrivateDir(dir);
    writeFileSync(
      join(dir, DEMO_MARKER),
      'Database of `atlas demo` (embedded PostgreSQL, PGlite). `atlas demo` resets it on every run unless --keep.\n',
      { mode: PRIVATE_FILE_MODE },
    );
  }
}

/**
 * Empties the demo database (Atlas's tables and the generated views) so a rerun starts from scratch. Dropping
 * the schemas is far cheaper than deleting the directory: creating a PGlite database takes several times
 * longer than opening one.
 */
export async function resetDemoDatabase(ctx: AppContext, store: Store): Promise<void> {
  const views = ctx.config.views.schema; // validated identifier
  await store.query(
    `DROP SCHEMA IF EXISTS "${views}" CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;`,
  );
}
