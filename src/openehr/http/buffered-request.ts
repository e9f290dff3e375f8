import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { HttpResponse } from './transport.js';

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
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = () => controller?.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) c.abort(signal.reason);
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        if (statusCode < 200) return; // informational (1xx): the final response follows
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
        size += chunk.length;
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
        reject(err);
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
