import type { Logger } from '../../context.js';
import { OpenEhrHttpError, TruncatedBodyError } from '../http/errors.js';
import { type HttpResponse, serverMessage, statusError, type Transport } from '../http/transport.js';
import { apiUrl } from '../http/urls.js';
import { parseMaxFetch } from './max-fetch.js';
import { parseResultSet, type ResultSet } from './result-set.js';

export type QueryParameters = Record<string, string | number | boolean | string[]>;

export interface Page {
  offset: number;
  fetch: number;
}

export interface AqlResult extends ResultSet {
  /** The fetch actually sent (after max-fetch adaptation); a page shorter than this is the last one. */
  fetch: number | undefined;
  /** Size of the response body in bytes (when known). */
  bytes?: number;
}

export interface AqlRunner {
  /**
   * POST /query/aql with the values in `query_parameters` (never pasted into `q`) and body paging
   * (`offset` + `fetch`, never LIMIT in `q`). A 422 naming the server's max-fetch shrinks the page and
   * resends; other 4xx throw OpenEhrHttpError with the server's message.
   */
  query(q: string, params: QueryParameters, page: Page | undefined, signal?: AbortSignal): Promise<AqlResult>;
}

export function createAqlRunner(transport: Transport, baseUrl: string, logger: Logger): AqlRunner {
  const url = apiUrl(baseUrl, ['query', 'aql']);
  let maxFetch: number | undefined;

  const send = (body: string, signal?: AbortSignal): Promise<{ res: HttpResponse; json?: unknown }> =>
    transport.retrying('AQL query', signal, async (s) => {
      const res = await transport.exchange({
        kind: 'aql',
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: s,
      });
      if (res.status >= 500 || res.status === 429) throw statusError('AQL query', res);
      // Parsed inside the retry: a cut body is retried like a connection reset.
      return res.status === 200 ? { res, json: parseBody(res) } : { res };
    });

  return {
    async query(q, params, page, signal) {
      for (;;) {
        const fetch = page ? Math.min(page.fetch, maxFetch ?? page.fetch) : undefined;
        const paging = page ? { offset: page.offset, fetch } : {};
        const { res, json } = await send(JSON.stringify({ q, query_parameters: params, ...paging }), signal);
        if (res.status === 204) return { columns: [], rows: [], appliedFetch: undefined, fetch, bytes: 0 };
        if (res.status === 200) {
          const rs = parseResultSet(json);
          const applied = rs.appliedFetch && fetch ? Math.min(rs.appliedFetch, fetch) : fetch;
          return { ...rs, fetch: applied, bytes: res.body.length };
        }
        const limit = res.status === 422 ? parseMaxFetch(serverMessage(res)) : undefined;
        if (limit !== undefined && fetch !== undefined && limit < fetch) {
          logger.info(
            { requested: fetch, maxFetch: limit },
            'openEHR server caps AQL pages; using its max-fetch',
          );
          maxFetch = limit;
          continue;
        }
        throw rejected(res);
      }
    },
  };
}

function parseBody(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (err) {
    throw new TruncatedBodyError(`AQL response is not complete JSON (${res.body.length} bytes)`, {
      cause: err,
    });
  }
}

function rejected(res: HttpResponse): OpenEhrHttpError {
  const message = serverMessage(res);
  return new OpenEhrHttpError(`AQL query rejected: HTTP ${res.status}${message ? ` — ${message}` : ''}`, {
    status: res.status,
    serverMessage: message,
  });
}
