import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AqlError } from '../aql/errors.js';
import type { AqlService } from '../aql/service.js';
import { handleComposition } from '../handlers/composition.js';
import { handleControl } from '../handlers/control.js';
import { handleEhr } from '../handlers/ehr.js';
import { handleQuery } from '../handlers/query.js';
import { handleStatus } from '../handlers/status.js';
import { handleTemplate } from '../handlers/template.js';
import { handleToken } from '../handlers/token.js';
import type { SimulatorControl } from '../types.js';
import { checkAuth } from './auth.js';
import type { Req, SimContext } from './context.js';
import type { FaultDecision } from './faults.js';
import { errorReply, HttpError, INTERNAL_ERROR_MESSAGE, type Reply } from './reply.js';
import { BETTER_PREFIXES, EHRBASE_PREFIXES, type Route, route } from './routes.js';

const MAX_BODY = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): () => Promise<Buffer> {
  let pending: Promise<Buffer> | undefined;
  return () => {
    pending ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) reject(new HttpError(413, 'Request body too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
    return pending;
  };
}

const INJECTED: Record<number, string> = {
  500: INTERNAL_ERROR_MESSAGE,
  502: 'Bad gateway: simulated upstream failure',
  503: 'Service temporarily unavailable (simulated)',
  429: 'Too many requests (simulated)',
};

function write(res: ServerResponse, reply: Reply, truncate: boolean): void {
  // A string body is handed to the socket as it is (no copy into a Buffer first): this runs per composition GET.
  const body = truncate && typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (body !== undefined)
    headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  else if (reply.status !== 204) headers['content-length'] = 0;
  res.writeHead(reply.status, headers);
  if (truncate && typeof body !== 'string' && body && body.length > 1) {
    // Promise the full length, send half, then cut the connection: the client sees a truncated body.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}

async function dispatch(
  ctx: SimContext,
  aql: AqlService,
  control: SimulatorControl,
  r: Route,
  req: Req,
): Promise<Reply> {
  switch (r.target) {
    case 'ehr':
      return handleEhr(ctx, req);
    case 'composition':
      return handleComposition(ctx, req);
    case 'template':
      return handleTemplate(ctx, req);
    case 'query':
      return handleQuery(ctx, aql, req);
    case 'status':
      return handleStatus(ctx, req);
    case 'token':
      return handleToken(ctx, req);
    case 'control':
      return handleControl(ctx, control, req);
    case 'none':
      throw new HttpError(404, `No resource found at path: ${req.path}`);
  }
}

function toReply(err: unknown): Reply {
  if (err instanceof HttpError) return errorReply(err.status, err.message, err.headers);
  if (err instanceof AqlError) return errorReply(err.status, err.message);
  return errorReply(500, INJECTED[500]!);
}

/**
 * The HTTP front: route, count, apply faults (reset, latency, injected status, slow, truncated), check
 * auth, run the handler, write the reply. Keep-alive on, no per-request work beyond the handler.
 */
export function createSimServer(ctx: SimContext, aql: AqlService, control: SimulatorControl): Server {
  const prefixes = ctx.flavour === 'better' ? BETTER_PREFIXES : EHRBASE_PREFIXES;
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, (req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const r = route(path, prefixes);
    ctx.stats[r.kind]++;
    if (r.kind !== 'control') {
      const second = Math.floor(Date.now() / 1000);
      ctx.arrivals.set(second, (ctx.arrivals.get(second) ?? 0) + 1);
    }
    const request: Req = {
      method: req.method ?? 'GET',
      segments: r.segments,
      query: new URLSearchParams(q >= 0 ? url.slice(q + 1) : ''),
      headers: req.headers,
      path,
      body: readBody(req),
    };
    let decision: FaultDecision | undefined;
    try {
      if (r.kind !== 'control') {
        decision = ctx.faults.decide(r.kind);
        if (decision.reset) {
          req.socket.destroy();
          return;
        }
        if (decision.latencyMs > 0) await sleep(decision.latencyMs, undefined, { ref: false });
        if (decision.error) {
          const { status, retryAfterSeconds } = decision.error;
          const headers: Record<string, string> =
            status === 429 || status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {};
          write(res, errorReply(status, INJECTED[status]!, headers), false);
          return;
        }
      }
      let reply: Reply | undefined;
      if (r.kind !== 'control' && r.kind !== 'token' && r.kind !== 'other') {
        reply = checkAuth(ctx.auth, ctx.credentials, ctx.tokens, req.headers);
      }
      if (!reply) {
        try {
          reply = await dispatch(ctx, aql, control, r, request);
        } catch (err) {
          reply = toReply(err);
        }
      }
      if (decision && decision.slowMs > 0) await sleep(decision.slowMs, undefined, { ref: false });
      if (!res.destroyed) write(res, reply, decision?.truncate ?? false);
    } catch {
      // Aborted waits (client went away) and write errors on dead sockets end here.
      if (!res.headersSent && !res.destroyed) write(res, errorReply(500, INJECTED[500]!), false);
    }
  };
  return server;
}
