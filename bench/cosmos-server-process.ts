#!/usr/bin/env node
/**
 * The Cosmos DB test server (@vercel/cosmosdb-server, in memory) as a process of its own, so the benchmark
 * does not run it on Atlas's event loop (PostgreSQL is a separate process too). A certificate is generated
 * for the run (the package's bundled one has expired); prints `{"endpoint","caFile"}` once listening.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import selfsigned from 'selfsigned';

const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
  keySize: 2048,
  algorithm: 'sha256',
  extensions: [
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ],
});
const server = createHttpsServer({ cert: pems.cert, key: pems.private, keepAlive: true } as Parameters<
  typeof createHttpsServer
>[0]);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const caFile = join(mkdtempSync(join(tmpdir(), 'atlas-bench-cosmos-')), 'ca.pem');
writeFileSync(caFile, pems.cert);
process.stdout.write(
  `${JSON.stringify({ endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caFile })}\n`,
);
process.on('SIGTERM', () => process.exit(0));
