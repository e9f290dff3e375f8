import { existsSync } from 'node:fs';
import type { AppContext } from '../context.js';
import { coerceError } from '../errors.js';
import { createOpenEhrClient, redactUrl } from '../openehr/index.js';
import { openStore } from '../store/index.js';

/** One connection check of `atlas validate-config --check`. */
export interface CheckResult {
  label: string;
  detail: string;
  error?: Error;
}

/**
 * Connects to what the configuration names: the openEHR server (a one-row AQL query proves reachability and
 * credentials) and the database (never migrated, never created). Each failure is returned, not thrown.
 */
export async function checkConnections(ctx: AppContext): Promise<CheckResult[]> {
  return [await checkOpenEhr(ctx), await checkDatabase(ctx)];
}

async function checkOpenEhr(ctx: AppContext): Promise<CheckResult> {
  const label = `openEHR server ${redactUrl(ctx.config.openehr.baseUrl)}`;
  let client: ReturnType<typeof createOpenEhrClient> | undefined;
  try {
    client = createOpenEhrClient(ctx);
    const { serverVersion } = await client.ping(ctx.signal);
    const version = serverVersion ? ` (server version ${serverVersion})` : '';
    return { label, detail: `reachable, credentials accepted${version}` };
  } catch (e) {
    return { label, detail: '', error: coerceError(e) };
  } finally {
    await client?.close();
  }
}

async function checkDatabase(ctx: AppContext): Promise<CheckResult> {
  const { config } = ctx;
  if (config.databaseTarget === 'embedded' && !existsSync(config.embedded.path)) {
    const label = `embedded database ${config.embedded.path}`;
    return { label, detail: 'not created yet; `atlas export` creates it' };
  }
  const label =
    config.databaseTarget === 'embedded' ? `embedded database ${config.embedded.path}` : 'PostgreSQL';
  try {
    const store = await openStore(ctx, { migrate: false });
    try {
      const { rows } = await store.query<{ version: string }>('select version() as version');
      const version = rows[0]?.version.split(' ').slice(0, 2).join(' ') ?? 'PostgreSQL';
      return { label, detail: `connected (${version})` };
    } finally {
      await store.close();
    }
  } catch (e) {
    return { label, detail: '', error: coerceError(e) };
  }
}
