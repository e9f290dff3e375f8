/**
 * Errors of the HTTP layer. `OpenEhrHttpError` is what callers branch on (status); whether a failure is worth
 * another attempt is decided in one place, `isRetryable`.
 */

/** A response with a status the caller did not expect. `serverMessage` is the `message` of an error body. */
export class OpenEhrHttpError extends Error {
  readonly status: number;
  readonly serverMessage: string | undefined;
  /** Milliseconds from a Retry-After header, if any. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    init: { status: number; serverMessage?: string; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: init.cause });
    this.name = 'OpenEhrHttpError';
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** A 200 body that ended early or was not the JSON it claimed to be (cut-off proxies, reset mid-body). */
export class TruncatedBodyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TruncatedBodyError';
  }
}

/** A response whose body exceeded the configured maximum: read no further, and not retried (it would be again). */
export class ResponseTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseTooLargeError';
  }
}

/** An exchange that did not complete within openehr.timeout_seconds (a trickling server, say). */
export class RequestDeadlineError extends Error {
  readonly code = 'ATLAS_REQUEST_DEADLINE';
  constructor(message: string) {
    super(message);
    this.name = 'RequestDeadlineError';
  }
}

/** Socket-level failures worth another attempt: resets, refusals (server restarting), timeouts, cut bodies. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ATLAS_REQUEST_DEADLINE',
]);

/** TLS failures: retrying cannot help, the configuration must change. */
const TLS_CODE = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|ERR_OSSL_)/;

/** The first `code` found on the error or its cause chain. */
export function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

export function isTlsError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && TLS_CODE.test(code);
}

/** A failure below HTTP (no usable response): connection, DNS, TLS, timeouts, cut bodies. */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof TruncatedBodyError) return true;
  const code = errorCode(err);
  return code !== undefined && (RETRYABLE_CODES.has(code) || TLS_CODE.test(code) || code === 'ENOTFOUND');
}

/** Only network errors (not TLS, not DNS "no such host"), 5xx and 429 are retried; every other 4xx is final. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof OpenEhrHttpError) return err.status >= 500 || err.status === 429;
  if (err instanceof TruncatedBodyError) return true;
  const code = errorCode(err);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** A short description of a network failure for messages: the code and the library's text, never headers. */
export function describeNetworkError(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
