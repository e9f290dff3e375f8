/** AQL errors with EHRbase's statuses: parse/feature/semantic → 400, paging conflicts → 422. */
export class AqlError extends Error {
  constructor(
    readonly status: 400 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** `AqlFeatureNotImplementedException`: EHRbase prefixes the message with `Not implemented: `. */
export function notImplemented(message: string): AqlError {
  return new AqlError(400, `Not implemented: ${message}`);
}

/** `IllegalAqlException`: 400 with the plain message. */
export function illegal(message: string): AqlError {
  return new AqlError(400, message);
}
