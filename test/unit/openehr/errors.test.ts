import { describe, expect, it } from 'vitest';
import {
  errorCode,
  isNetworkError,
  isRetryable,
  isTlsError,
  OpenEhrHttpError,
  TruncatedBodyError,
} from '../../../src/openehr/http/errors.js';

function withCode(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('retry classification', () => {
  it('retries 5xx and 429 only among statuses', () => {
    for (const status of [500, 502, 503, 504, 429]) {
      expect(isRetryable(new OpenEhrHttpError('x', { status }))).toBe(true);
    }
    for (const status of [400, 401, 403, 404, 406, 409, 415, 422]) {
      expect(isRetryable(new OpenEhrHttpError('x', { status }))).toBe(false);
    }
  });

  it('retries resets, refusals, timeouts and cut bodies', () => {
    for (const code of [
      'ECONNRESET',
      'ECONNREFUSED',
      'UND_ERR_SOCKET',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
    ]) {
      expect(isRetryable(withCode(code))).toBe(true);
    }
    expect(isRetryable(new TruncatedBodyError('cut'))).toBe(true);
  });

  it('does not retry TLS failures, unknown hosts or programming errors, but counts them as network errors', () => {
    const tls = withCode('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(isRetryable(tls)).toBe(false);
    expect(isTlsError(tls)).toBe(true);
    expect(isNetworkError(tls)).toBe(true);
    expect(isRetryable(withCode('ENOTFOUND'))).toBe(false);
    expect(isNetworkError(withCode('ENOTFOUND'))).toBe(true);
    expect(isRetryable(new TypeError('x is undefined'))).toBe(false);
    expect(isNetworkError(new Error('plain'))).toBe(false);
  });

  it('finds codes on the cause chain', () => {
    const wrapped = new Error('fetch failed', { cause: withCode('ECONNRESET') });
    expect(errorCode(wrapped)).toBe('ECONNRESET');
    expect(isRetryable(wrapped)).toBe(true);
  });
});
