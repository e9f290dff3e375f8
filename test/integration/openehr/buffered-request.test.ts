import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestBuffered } from '../../../src/openehr/http/buffered-request.js';

/** requestBuffered against a real HTTP server on loopback: bodies, statuses, aborts and cut connections. */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
let seen: string[] = [];
let server: Server;
let origin: string;
const agent = new Agent({ keepAliveTimeout: 1_000 });

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    (routes.get(req.url ?? '') ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  server.close();
});

const get = (path: string, signal?: AbortSignal) =>
  requestBuffered(agent, { origin, path, method: 'GET', headers: { accept: 'application/json' } }, signal);

describe('requestBuffered', () => {
  it('collects a body sent in several chunks, with its status and headers', async () => {
    const parts = ['{"a":', '"äöü€"', ',"b":[1,2,3]}'];
    routes.set('/chunks', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '7' });
      for (const p of parts) {
        res.write(p);
        await sleep(5);
      }
      res.end();
    });
    const res = await get('/chunks');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body.toString('utf8')).toBe(parts.join(''));
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ a: 'äöü€', b: [1, 2, 3] });
  });

  it('returns non-200 statuses and empty bodies as they are', async () => {
    routes.set('/gone', (_req, res) => res.writeHead(204).end());
    routes.set('/busy', (_req, res) => res.writeHead(503, { 'retry-after': '1' }).end('busy'));
    const gone = await get('/gone');
    expect([gone.status, gone.body.length]).toEqual([204, 0]);
    const busy = await get('/busy');
    expect([busy.status, busy.body.toString(), busy.headers['retry-after']]).toEqual([503, 'busy', '1']);
  });

  it('skips an informational 1xx response and returns the final one', async () => {
    routes.set('/processing', (_req, res) => {
      res.writeProcessing();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const res = await get('/processing');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"ok":true}');
  });

  it('rejects with the signal reason when aborted while the body streams', async () => {
    routes.set('/slow', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      // never ends: only the abort can settle the request
    });
    const controller = new AbortController();
    const reason = new Error('run stopped');
    const pending = get('/slow', controller.signal);
    await sleep(30);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('does not send anything for a signal that is already aborted', async () => {
    seen = [];
    const reason = new Error('already stopped');
    await expect(get('/chunks', AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(seen).toEqual([]);
  });

  it('rejects when the connection is cut before the body is complete', async () => {
    routes.set('/cut', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":1');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    await expect(get('/cut')).rejects.toThrow();
  });

  it('leaves no abort listener behind on the signal', async () => {
    const controller = new AbortController();
    const added: string[] = [];
    const removed: string[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    type Listener = Parameters<typeof add>[1];
    signal.addEventListener = ((type: string, listener: Listener, options?: Parameters<typeof add>[2]) => {
      added.push(type);
      add(type, listener, options);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, listener: Listener) => {
      removed.push(type);
      remove(type, listener);
    }) as typeof signal.removeEventListener;
    await get('/gone', signal);
    await get('/busy', signal);
    await expect(get('/cut', signal)).rejects.toThrow();
    // Options undici refuses before sending anything.
    await expect(
      requestBuffered(agent, { origin, path: 'no-leading-slash', method: 'GET' }, signal),
    ).rejects.toThrow();
    expect(added).toEqual(['abort', 'abort', 'abort', 'abort']);
    expect(removed).toEqual(added);
  });
});
