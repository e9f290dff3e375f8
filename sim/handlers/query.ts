import type { AqlService } from '../aql/service.js';
import type { Req, SimContext } from '../http/context.js';
import { HttpError, type Reply } from '../http/reply.js';
import { parseJsonBody } from './common.js';

const RESERVED = new Set(['q', 'offset', 'fetch', 'query_parameters']);

/**
 * `POST /query/aql` (JSON body q/offset/fetch/query_parameters) and `GET /query/aql?q=…` (EHRbase: no
 * parameters on GET; Better: any other query-string entry is a parameter).
 */
export async function handleQuery(ctx: SimContext, aql: AqlService, req: Req): Promise<Reply> {
  if (req.segments[1] !== 'aql' || req.segments.length !== 2)
    throw new HttpError(404, `No resource found at path: ${req.path}`);
  let body: string;
  if (req.method === 'POST') {
    const type = req.headers['content-type'];
    if (!type) throw new HttpError(400, "Required request header 'Content-Type' is not present");
    if (!/^application\/json\b/i.test(type))
      throw new HttpError(415, `Content-Type '${type}' is not supported`);
    const parsed = parseJsonBody(await req.body());
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new HttpError(400, 'No query provided.');
    const b = parsed as Record<string, unknown>;
    body = aql.run({ q: b.q, fetch: b.fetch, offset: b.offset, params: b.query_parameters });
  } else if (req.method === 'GET') {
    const params: Record<string, string> = {};
    if (ctx.flavour === 'better') {
      for (const [k, v] of req.query) if (!RESERVED.has(k)) params[k] = v;
    }
    body = aql.run({
      q: req.query.get('q') ?? undefined,
      fetch: req.query.get('fetch') ?? undefined,
      offset: req.query.get('offset') ?? undefined,
      params,
      href: `${ctx.urls.base}/query/aql`,
    });
  } else {
    throw new HttpError(405, `Request method '${req.method}' is not supported`);
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}
