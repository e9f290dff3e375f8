import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, coerceError } from '../errors.js';
import type { ReadinessReport } from './readiness.js';

export interface ServiceEndpoints {
  /** Prometheus text exposition and its content type. */
  metrics(): Promise<{ contentType: string; body: string }>;
  readiness(): Promise<ReadinessReport>;
}

export interface RunningServer {
  /** The address actually bound (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

/**
 * The HTTP endpoints of `atlas sync`: /healthz (the process answers), /readyz (JSON report, 200 or 503),
 * /metrics (Prometheus text format). GET and HEAD only; nothing else is served. Replies carry no secrets:
 * the readiness errors are the same messages the CLI prints.
 */
export async function startServiceServer(
  listen: { host: string; port: number },
  endpoints: ServiceEndpoints,
): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const fail = (err: unknown) => reply(500, 'text/plain', `${coerceError(err).message}\n`);
    switch (path) {
      case '/healthz':
        reply(200, 'text/plain', 'ok\n');
        return;
      case '/readyz':
        endpoints
          .readiness()
          .then((r) => reply(r.ready ? 200 : 503, 'application/json', `${JSON.stringify(r)}\n`), fail);
        return;
      case '/metrics':
        endpoints.metrics().then((m) => reply(200, m.contentType, m.body), fail);
        return;
      default:
        reply(404, 'text/plain', 'not found: /healthz, /readyz, /metrics\n');
    }
  });
  server.listen(listen.port, listen.host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e))]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot listen on ${listen.host}:${listen.port} (${code ?? coerceError(err).message}): ` +
        'choose another address with --listen or sync.listen',
      { cause: err },
    );
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
