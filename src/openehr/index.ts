import type { AppContext } from '../context.js';
import { assembleClient } from './client.js';
import { createClientParts } from './parts.js';
import type { OpenEhrClient } from './types.js';

export { OpenEhrHttpError } from './http/errors.js';
export { redactUrl } from './http/urls.js';
export type { OpenEhrClient } from './types.js';

/** The openEHR client for one run (reads ctx.config.openehr, ctx.logger, ctx.signal). Close it in `finally`. */
export function createOpenEhrClient(ctx: AppContext): OpenEhrClient {
  return assembleClient(createClientParts(ctx));
}
