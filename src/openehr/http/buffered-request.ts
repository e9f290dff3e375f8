import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { RequestDeadlineError, ResponseTooLargeError } from './errors.js';
import type { HttpResponse } from './transport.js';

/** Limits of one exchange: undici's own timeouts only bound the gaps between chunks. */
export interface ExchangeLimits {
  /** The whole exchange (connect, headers, complete body) must end within this many milliseconds. */
  deadlineMs?: number;
  /** A body larger than this is not read further; the request fails with ResponseTooLargeError. */
  maxBodyBytes?: number;
  /** Names the limits in messages (the configuration keys). */
  describe?: { deadline: string; maxBody: string };
}

/**
 * One request whose whole response body is collected into a Buffer (the server's bodies are one JSON document
 * each, read completely anyway), through undici's `dispatch` handler API.
 * `Dispatcher.request` wraps every response in a Readable stream and an async-hooks resource that this client
 * then only drains into a Buffer; at one request per composition that machinery was a measurable share of the
 * exporter's CPU and garbage. Errors are undici's own (connection, timeouts, a cut body), and an abort
 * rejects with the signal's reason, as `request` does.
 */
export function requestBuffered(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal?: AbortSignal,
  limits: ExchangeLimits = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let failed: Error | undefined;
    const fail = (err: Error) => {
      if (failed) return;
      failed = err;
      if (controller) controller.abort(err);
    };
    const deadline =
      limits.deadlineMs === undefined
        ? undefined
        : setTimeout(
            () =>
              fail(
                new RequestDeadlineError(
                  `no complete answer within ${limits.deadlineMs! / 1000} s (${limits.describe?.deadline ?? 'deadline'})`,
                ),
              ),
            limits.deadlineMs,
          );
    const tooLarge = (bytes: number) =>
      fail(
        new ResponseTooLargeError(
          `response body of ${bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`} or more exceeds the maximum of ${Math.round(limits.maxBodyBytes! / 1024 / 1024)} MiB (${limits.describe?.maxBody ?? 'maximum body size'})`,
        ),
      );
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = () => controller?.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      if (deadline) clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) c.abort(signal.reason);
        else if (failed) c.abort(failed);
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        if (statusCode < 200) return; // informational (1xx): the final response follows
        status = statusCode;
        headers = responseHeaders;
        const declared = Number(responseHeaders['content-length']);
        if (limits.maxBodyBytes !== undefined && declared > limits.maxBodyBytes) tooLarge(declared);
      },
      onResponseData(_c, chunk) {
        if (failed) return;
        size += chunk.length;
        if (limits.maxBodyBytes !== undefined && size > limits.maxBodyBytes) {
          chunks.length = 0;
          tooLarge(size);
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        settle();
        resolve({
          status,
          headers,
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
        });
      },
      onResponseError(_c, err) {
        settle();
        // The abort reason of a breached limit arrives here; report the limit, not undici's wrapper.
        reject(failed ?? err);
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (err) {
      // undici reports bad options through onResponseError; whatever a dispatcher throws instead must not
      // leave the abort listener behind.
      settle();
      reject(err);
    }
  });
}
