import { type Agent, fetch as undiciFetch } from 'undici';
import { OpenEhrHttpError } from '../http/errors.js';
import { parseRetryAfter } from '../http/retry-after.js';
import type { StatsRecorder } from '../http/stats.js';
import { type RetryDeps, withRetry } from '../http/with-retry.js';

/** The fetch signature openid-client's `customFetch` expects (kept structural to avoid DOM lib types). */
export type TokenFetch = (
  url: string,
  options: { body?: unknown; headers: Record<string, string>; method: string; signal?: AbortSignal },
) => Promise<Response>;

/**
 * Token-endpoint requests go through the same undici agent (TLS settings, custom CA, keep-alive) and the
 * same retry policy as the API: network errors, 5xx and 429 are retried; an OAuth error answer (400/401)
 * is returned to openid-client, which turns it into a ResponseBodyError.
 */
export function createTokenFetch(
  agent: Agent,
  retry: RetryDeps,
  stats: StatsRecorder,
  runSignal: AbortSignal,
): TokenFetch {
  return async (url, options) => {
    const signal = options.signal ? AbortSignal.any([options.signal, runSignal]) : runSignal;
    const response = await withRetry(retry, 'token', signal, async () => {
      stats.request('token');
      const res = await undiciFetch(url, {
        method: options.method,
        headers: options.headers,
        body: options.body as string | URLSearchParams | undefined,
        dispatcher: agent,
        signal,
        redirect: 'manual',
      });
      if (res.status >= 500 || res.status === 429) {
        await res.body?.cancel();
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after') ?? undefined, Date.now());
        throw new OpenEhrHttpError(`token endpoint answered HTTP ${res.status}`, {
          status: res.status,
          retryAfterMs,
        });
      }
      return res;
    });
    const body = await response.arrayBuffer();
    stats.bytes(body.byteLength);
    // Re-wrap the consumed body in a global Response so openid-client's instanceof checks pass.
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(nullBody ? null : body, {
      status: response.status,
      headers: Object.fromEntries(response.headers),
    });
  };
}
