import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import selfsigned from 'selfsigned';

/**
 * A Cosmos DB-compatible server for tests: @vercel/cosmosdb-server (in memory, HTTPS) on a loopback port.
 * Its bundled certificate has expired, so each run generates a fresh one for 127.0.0.1/localhost, whose
 * PEM is written to `caFile` (Atlas trusts it with cosmosdb.tls_ca_cert). `inject` lets a test answer some
 * requests itself (e.g. 429 with x-ms-retry-after-ms) before the emulator sees them.
 */
export interface CosmosTestServer {
  endpoint: string;
  caFile: string;
  /** Any base64 text is accepted as the key by the emulator; the SDK needs base64 to sign. */
  key: string;
  /** Sees each request with its whole body first; returns true when it answered the request itself. */
  inject?: (req: IncomingMessage, body: Buffer, res: ServerResponse) => boolean;
  close(): Promise<void>;
}

export async function startCosmosServer(): Promise<CosmosTestServer> {
  const notAfter = new Date(Date.now() + 2 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const server: Server = createHttpsServer({
    cert: pems.cert,
    key: pems.private,
    keepAlive: true,
  } as Parameters<typeof createHttpsServer>[0]);
  const emulator = server.listeners('request').slice() as Array<
    (req: IncomingMessage, res: ServerResponse) => void
  >;
  server.removeAllListeners('request');
  const handle: CosmosTestServer = {
    endpoint: '',
    caFile: '',
    key: Buffer.from('atlas-test-key').toString('base64'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const inject = handle.inject;
    if (!inject) {
      for (const l of emulator) l.call(server, req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (inject(req, body, res)) return;
      // The body was consumed: the emulator reads a replay of it with the original request line and headers.
      const replay = Object.assign(Readable.from([body]), {
        headers: req.headers,
        method: req.method,
        url: req.url,
        socket: req.socket,
      }) as unknown as IncomingMessage;
      for (const l of emulator) l.call(server, replay, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'atlas-cosmos-'));
  handle.caFile = join(dir, 'ca.pem');
  writeFileSync(handle.caFile, pems.cert);
  handle.endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return handle;
}

/** The [cosmosdb] table (and target) for a test configuration. */
export function cosmosToml(server: CosmosTestServer, databaseName: string, extra = ''): string {
  return `[cosmosdb]
endpoint = "${server.endpoint}"
key = "${server.key}"
database_name = "${databaseName}"
tls_ca_cert = "${server.caFile}"
max_concurrency = 4
request_timeout_seconds = 20
${extra}
`;
}
