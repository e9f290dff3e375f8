import { getJson } from './http/get-json.js';
import type { Transport } from './http/transport.js';
import { apiUrl } from './http/urls.js';

export interface TemplateDeps {
  transport: Transport;
  baseUrl: string;
}

/** GET /definition/template/adl1.4: `[{template_id, …}]`. */
export async function listTemplates(
  deps: TemplateDeps,
  signal?: AbortSignal,
): Promise<Array<{ templateId: string }>> {
  const body = await getJson(deps.transport, {
    kind: 'template',
    what: 'template list',
    url: apiUrl(deps.baseUrl, ['definition', 'template', 'adl1.4']),
    accept: 'application/json',
    signal,
  });
  if (!Array.isArray(body))
    throw new Error('template list: server answered something other than a JSON array');
  return body
    .map((t) => (t as { template_id?: unknown } | null)?.template_id)
    .filter((id): id is string => typeof id === 'string' && id !== '')
    .map((templateId) => ({ templateId }));
}

/** The web template (`Accept: application/openehr.wt+json`); a 404 throws OpenEhrHttpError with status 404. */
export function getWebTemplate(
  deps: TemplateDeps,
  templateId: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return getJson(deps.transport, {
    kind: 'template',
    what: `web template "${templateId}"`,
    url: apiUrl(deps.baseUrl, ['definition', 'template', 'adl1.4', templateId]),
    accept: 'application/openehr.wt+json',
    signal,
  });
}
