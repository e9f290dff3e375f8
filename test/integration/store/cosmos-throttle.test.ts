import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { type CosmosTestServer, startCosmosServer } from '../../support/cosmos-server.js';
import { runExport, startSim, sumCounts } from '../export/harness.js';
import { cosmosRunToml, verifyCosmos } from './cosmos-harness.js';

let sim: Simulator;
let server: CosmosTestServer;
let templates: string[];

beforeAll(async () => {
  server = await startCosmosServer();
  sim = await startSim({ seed: 19, ehrs: 10, compositions: 120 });
  templates = sim.control.templateIds().slice(0, 1);
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await server?.close();
});

const RETRY_AFTER_MS = 300;
const REFUSALS = 2;

/** A bulk write to a data container (the SDK's batch requests; queries are POSTs to /docs as well). */
function isDataWrite(req: IncomingMessage): boolean {
  return (
    req.method === 'POST' &&
    String(req.headers['x-ms-cosmos-is-batch-request']).toLowerCase() === 'true' &&
    /\/colls\/compositions_[^/]+\/docs$/.test(req.url ?? '')
  );
}

describe('throttling (429) on Cosmos DB', () => {
  it('waits x-ms-retry-after-ms, retries, and still ends equal to the source', async () => {
    // Documents of refused requests, with when they were refused. The bulk executor may regroup them after a
    // 429 (smaller batches), so a retry is recognised by the document ids, not by the request body.
    const refused = new Map<string, number>();
    const gaps: number[] = [];
    let refusals = 0;
    const idsOf = (body: Buffer): string[] =>
      (JSON.parse(body.toString()) as Array<{ id?: string; resourceBody?: { id?: string } }>).map(
        (op) => op.resourceBody?.id ?? op.id ?? '',
      );
    server.inject = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
      if (!isDataWrite(req)) return false;
      const ids = idsOf(body);

      // The first REFUSALS bulk requests that are not retries are refused with 429 and a retry-after.
      if (refusals < REFUSALS && !ids.some((id) => refused.has(id))) {
        refusals++;
        for (const id of ids) refused.set(id, Date.now());
        res.statusCode = 429;
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-ms-retry-after-ms', String(RETRY_AFTER_MS));
        res.setHeader('x-ms-substatus', '3200');
        res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large' }));
        return true;
      }
      for (const id of ids) {
        const at = refused.get(id);
        if (at === undefined) continue;
        gaps.push(Date.now() - at);
        refused.delete(id);
      }
      return false;
    };
    const toml = cosmosRunToml(sim, server, 'throttled', templates, { cosmosExtra: '' }).replace(
      'max_concurrency = 4',
      'max_concurrency = 1',
    );
    const summary = await runExport(toml, { flags: { mode: 'full' } });
    server.inject = undefined;
    expect(summary.status, JSON.stringify(summary.error)).toBe('completed');
    // Every refused document was sent again, and no sooner than the server asked.
    expect(refusals).toBe(REFUSALS);
    expect(refused.size).toBe(0);
    expect(gaps.length).toBeGreaterThanOrEqual(REFUSALS);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 20);
    expect(sumCounts(summary, 'inserted')).toBe([...sim.control.liveCompositions(templates[0]!)].length);
    const report = await verifyCosmos(toml, templates);
    expect(report.consistent).toBe(true);
  });
});
