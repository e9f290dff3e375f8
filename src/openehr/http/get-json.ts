import { TruncatedBodyError } from './errors.js';
import type { RequestKind } from './stats.js';
import { type HttpResponse, statusError, type Transport } from './transport.js';

/** Parses a 200 body; a body that is not complete JSON is treated like a cut connection (retried). */
export function jsonBody(res: HttpResponse, what: string): unknown {
  const contentType = String(res.headers['content-type'] ?? '');
  if (contentType.includes('xml')) {
    throw new Error(`${what}: server answered ${contentType} instead of JSON (check openehr.vendor)`);
  }
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (err) {
    const type = contentType ? contentType.split(';')[0] : 'no content type';
    throw new TruncatedBodyError(
      `${what}: HTTP ${res.status} with a body that is not complete JSON (${type}, ${res.body.length} bytes)`,
      { cause: err },
    );
  }
}

/** GET a JSON resource under the retry policy; any status but 200 throws OpenEhrHttpError. */
export function getJson(
  transport: Transport,
  req: { kind: RequestKind; what: string; url: string; accept: string; signal?: AbortSignal },
): Promise<unknown> {
  return transport.retrying(req.what, req.signal, async (signal) => {
    const res = await transport.exchange({
      kind: req.kind,
      method: 'GET',
      url: req.url,
      headers: { accept: req.accept },
      signal,
    });
    if (res.status !== 200) throw statusError(req.what, res);
    return jsonBody(res, req.what);
  });
}
