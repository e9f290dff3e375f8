import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Agent } from 'undici';
import type { Logger } from '../../context.js';
import { AuthError, ConnectionError } from '../../errors.js';
import type { RunObserver } from '../../observer.js';
import { printable } from '../../util/printable.js';
import type { AuthProvider } from '../auth/types.js';
import { requestBuffered } from './buffered-request.js';
import {
  describeNetworkError,
  isNetworkError,
  isTlsError,
  OpenEhrHttpError,
  TruncatedBodyError,
} from './errors.js';
import type { Admission, Governor } from './governor.js';
import { parseRetryAfter } from './retry-after.js';
import type { RequestKind, StatsRecorder } from './stats.js';
import { type RetryDeps, withRetry } from './with-retry.js';

export interface HttpRequest {
  kind: RequestKind;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** The governor's queue position (from `retrying`): a retry keeps the place of its first attempt. */
  priority?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Transport {
  /**
   * One authenticated exchange, no retry (a 401 gets one renewal of credentials and one resend inside).
   * 401/403 that remain throw AuthError; every other status is returned.
   */
  exchange(req: HttpRequest): Promise<HttpResponse>;
  /**
   * `handle` under the retry policy: it receives the signal and the priority to pass to `exchange` and
   * throws OpenEhrHttpError/TruncatedBodyError for what should be retried. Network failures that outlast the
   * retries become a ConnectionError naming the server.
   */
  retrying<T>(
    what: string,
    signal: AbortSignal | undefined,
    handle: (signal: AbortSignal, priority: number) => Promise<T>,
  ): Promise<T>;
}

export interface TransportDeps {
  agent: Agent;
  auth: AuthProvider;
  retry: RetryDeps;
  stats: StatsRecorder;
  logger: Logger;
  runSignal: AbortSignal;
  origin: string;
  userAgent: string;
  /** Deadline of one whole exchange (openehr.timeout_seconds); none when absent. */
  deadlineMs?: number;
  /** Largest composition body accepted (openehr.max_composition_size_mb); none when absent. */
  maxCompositionBytes?: number;
  /** Told about each exchange (endpoint kind, status, seconds); absent outside `atlas sync`. */
  observer?: RunObserver;
  /** Rate ceiling, Retry-After pauses and adaptive fetch concurrency over every exchange. */
  governor?: Governor;
}

const LIMIT_KEYS = { deadline: 'openehr.timeout_seconds', maxBody: 'openehr.max_composition_size_mb' };

const PLAIN_PATH = /^[\x21-\x7e]*$/;

export function createTransport(deps: TransportDeps): Transport {
  // Request URLs are built on the configured base, so splitting them is a prefix check; parsing each one
  // with `new URL` showed in the profile at one request per composition.
  const prefix = `${deps.origin}/`;
  const splitUrl = (url: string): { origin: string; path: string } => {
    if (url.startsWith(prefix)) {
      const path = url.slice(deps.origin.length);
      // Anything `new URL` would percent-encode (a space in the configured base path, say) takes the slow path.
      if (PLAIN_PATH.test(path)) return { origin: deps.origin, path };
    }
    const parsed = new URL(url);
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  };

  // Every in-flight request (undici) and retry loop (p-retry) listens on the run's signal: dozens at once are
  // the export's normal concurrency, not a leak, so Node's warning at 11 listeners would only alarm users.
  setMaxListeners(0, deps.runSignal);
  // Signals made here already include the run's signal: combining them again (retrying → exchange → once)
  // would create three AbortSignal.any per request, a measurable share of the client's CPU and garbage.
  const derived = new WeakSet<AbortSignal>();
  const combine = (signal?: AbortSignal): AbortSignal => {
    if (!signal || signal === deps.runSignal || derived.has(signal)) return signal ?? deps.runSignal;
    const both = AbortSignal.any([signal, deps.runSignal]);
    derived.add(both);
    return both;
  };

  const once = async (req: HttpRequest, authorization: string | undefined): Promise<HttpResponse> => {
    deps.stats.request(req.kind);
    const headers: Record<string, string> = { 'user-agent': deps.userAgent, ...req.headers };
    if (authorization) headers.authorization = authorization;
    const { origin, path } = splitUrl(req.url);
    const signal = combine(req.signal);
    const governor = deps.governor;
    let admission: Admission | Promise<Admission> | undefined = governor?.admit(
      req.kind,
      req.priority ?? governor.nextPriority(),
      signal,
    );
    if (admission instanceof Promise) admission = await admission;
    const observe = deps.observer?.sourceRequest;
    const started = observe ? performance.now() : 0;
    let res: HttpResponse;
    try {
      res = await requestBuffered(
        deps.agent,
        { origin, path, method: req.method, headers, body: req.body },
        signal,
        {
          deadlineMs: deps.deadlineMs,
          maxBodyBytes: req.kind === 'composition' ? deps.maxCompositionBytes : undefined,
          describe: LIMIT_KEYS,
        },
      );
    } catch (err) {
      if (admission) governor?.done(admission, 'error');
      observe?.({ endpoint: req.kind, status: 'error', seconds: (performance.now() - started) / 1000 });
      throw err;
    }
    if (admission) {
      const overloaded = res.status === 429 || res.status === 503;
      governor?.done(
        admission,
        res.status,
        overloaded ? parseRetryAfter(res.headers['retry-after'], Date.now()) : undefined,
      );
    }
    observe?.({ endpoint: req.kind, status: res.status, seconds: (performance.now() - started) / 1000 });
    deps.stats.bytes(res.body.length);
    return res;
  };

  const exchange = async (req: HttpRequest): Promise<HttpResponse> => {
    const signal = combine(req.signal);
    const sent = await deps.auth.authorization(signal);
    let res = await once(req, sent);
    if (res.status === 401 && (await deps.auth.renew(sent, signal))) {
      deps.logger.info({ kind: req.kind }, 'openEHR server answered 401; retrying with renewed credentials');
      res = await once(req, await deps.auth.authorization(signal));
    }
    if (res.status === 401) throw new AuthError(deps.auth.rejectedMessage(deps.origin));
    if (res.status === 403) {
      throw new AuthError(
        `openEHR server ${deps.origin} refused access (HTTP 403): the account lacks the role this request needs`,
      );
    }
    return res;
  };

  const retrying = async <T>(
    what: string,
    signal: AbortSignal | undefined,
    handle: (signal: AbortSignal, priority: number) => Promise<T>,
  ): Promise<T> => {
    const combined = combine(signal);
    // Numbered once for all attempts: a retry re-enters the governor's queue where its first attempt was.
    const priority = deps.governor?.nextPriority() ?? 0;
    try {
      return await withRetry(deps.retry, what, combined, () => handle(combined, priority));
    } catch (err) {
      // An abort surfaces as the signal's reason, whichever layer (undici, p-retry, the wait) noticed it.
      if (combined.aborted) throw combined.reason;
      if (!isNetworkError(err)) throw err;
      // The server answered, but not with the JSON it should have (an HTML error or login page with 200):
      // that is not "cannot reach", and saying so sends people checking the wrong thing.
      if (err instanceof TruncatedBodyError) {
        throw new ConnectionError(
          `the openEHR server at ${deps.origin} gave an unusable answer to ${err.message}`,
          { cause: err },
        );
      }
      const hint = isTlsError(err)
        ? ' (TLS: check openehr.tls_ca_cert, or the server certificate and host name)'
        : '';
      throw new ConnectionError(
        `cannot reach the openEHR server at ${deps.origin}: ${describeNetworkError(err)}${hint}`,
        { cause: err },
      );
    }
  };

  return { exchange, retrying };
}

/** The `message` of an openEHR error body (`{"error","message"}`), shortened; never the body of a composition. */
export function serverMessage(res: HttpResponse): string | undefined {
  const ct = String(res.headers['content-type'] ?? '');
  if (!ct.includes('json') || res.body.length === 0 || res.body.length > 64 * 1024) return undefined;
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { message?: unknown; error?: unknown };
    const text = typeof parsed.message === 'string' ? printable(parsed.message) : undefined;
    return text && text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return undefined;
  }
}

/** The error for a status the caller does not handle; carries Retry-After for 429/503. */
export function statusError(what: string, res: HttpResponse): OpenEhrHttpError {
  const message = serverMessage(res);
  return new OpenEhrHttpError(`${what}: HTTP ${res.status}${message ? ` — ${message}` : ''}`, {
    status: res.status,
    serverMessage: message,
    retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()),
  });
}
