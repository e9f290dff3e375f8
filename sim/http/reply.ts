import { STATUS_CODES } from 'node:http';

/** What a handler answers; the server applies faults and writes it. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An error answered as EHRbase does: `{"error": "<reason phrase>", "message": "<text>"}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function errorReply(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ error: reason(status), message }),
  };
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** EHRbase's body text for any unhandled exception (500). */
export const INTERNAL_ERROR_MESSAGE = 'An internal error has occurred. Please contact your administrator.';

/** EHRbase's mocked constant `Last-Modified` (ms 123124442). */
export const LAST_MODIFIED = new Date(123124442).toUTCString();
