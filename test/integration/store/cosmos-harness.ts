import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { CosmosClient } from '@azure/cosmos';
import pino from 'pino';
import type { Simulator } from '../../../sim/index.js';
import { contentPreparer } from '../../../src/content/index.js';
import { createOpenEhrClient } from '../../../src/openehr/index.js';
import { openStore } from '../../../src/store/index.js';
import type { VerifyReport } from '../../../src/verify/types.js';
import { verify } from '../../../src/verify/verify.js';
import { type CosmosTestServer, cosmosToml } from '../../support/cosmos-server.js';
import { contextFor, tomlFor } from '../export/harness.js';

/** A run configuration against the simulator, writing into the Cosmos test server. */
export function cosmosRunToml(
  sim: Simulator,
  server: CosmosTestServer,
  databaseName: string,
  templateIds: string[],
  opts: { cosmosExtra?: string; extra?: string } = {},
): string {
  const base = tomlFor(sim, 'postgresql://unused@127.0.0.1/unused', templateIds, opts.extra ?? '');
  return base
    .replace('database_target = "postgresql"', 'database_target = "cosmosdb"')
    .replace(
      /\[postgresql\]\nconnection_string = "[^"]*"\n/,
      cosmosToml(server, databaseName, opts.cosmosExtra),
    );
}

/** `atlas verify`'s check, in process: source vs the Cosmos documents, every content compared. */
export async function verifyCosmos(toml: string, templateIds: string[]): Promise<VerifyReport> {
  const ctx = { ...(await contextFor(toml)), logger: pino({ level: 'silent' }) };
  const store = await openStore(ctx, { access: 'read' });
  const client = createOpenEhrClient(ctx);
  try {
    return await verify(
      {
        client,
        store,
        content: contentPreparer({ format: 'preserve', pseudonymizeEhrId: false }),
        logger: ctx.logger,
        signal: new AbortController().signal,
      },
      { templateIds, seed: 1, pageSize: 100, concurrency: 8 },
    );
  } finally {
    await client.close();
    await store.close();
  }
}

/** An SDK client of the test's own, to look at the documents as a user would. */
export function sdkClient(server: CosmosTestServer): CosmosClient {
  return new CosmosClient({
    endpoint: server.endpoint,
    key: server.key,
    agent: new Agent({ ca: readFileSync(server.caFile, 'utf8') }),
  });
}
