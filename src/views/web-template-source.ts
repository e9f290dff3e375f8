import type { AppContext } from '../context.js';
import { ConnectionError } from '../errors.js';
import type { OpenEhrClient } from '../openehr/types.js';
import { checksumOf } from '../transform/checksum.js';
import { loadCachedWebTemplate, type SqlClient } from './repository.js';
import type { WebTemplate } from './types.js';
import { parseWebTemplate } from './web-template.js';

export interface FetchedWebTemplate {
  /** The JSON as served (cached as is). */
  json: unknown;
  template: WebTemplate;
  /** SHA-256 of its canonical JSON: unchanged hash, unchanged views. */
  hash: string;
  source: 'server' | 'cache';
}

/**
 * The web template of a template, from the server (the source of truth). When the server cannot be reached,
 * the copy cached by the last generation is used, with a warning; without one the connection error stands.
 */
export async function fetchWebTemplate(
  ctx: AppContext,
  deps: { db: SqlClient; client: Pick<OpenEhrClient, 'getWebTemplate'>; dataSchema: string },
  templateId: string,
): Promise<FetchedWebTemplate> {
  let json: unknown;
  let source: FetchedWebTemplate['source'] = 'server';
  try {
    json = await deps.client.getWebTemplate(templateId, ctx.signal);
  } catch (err) {
    if (!(err instanceof ConnectionError)) throw err;
    const cached = await loadCachedWebTemplate(deps.db, deps.dataSchema, templateId);
    if (!cached) throw err;
    ctx.logger.warn(
      { templateId, err: err.message },
      'openEHR server unreachable: generating views from the cached web template',
    );
    json = cached.webTemplate;
    source = 'cache';
  }
  const template = parseWebTemplate(json, templateId);
  return { json, template, hash: checksumOf(json), source };
}
