import type { TemplateData } from '../data/dataset.js';
import type { Req, SimContext } from '../http/context.js';
import { HttpError, jsonReply, LAST_MODIFIED, type Reply } from '../http/reply.js';
import { acceptedTypes } from '../http/representation.js';
import { exampleReply } from './template-example.js';
import { uploadTemplate } from './template-upload.js';

function find(ctx: SimContext, id: string): TemplateData {
  const t = ctx.data.templates.find((x) => x.templateId === id);
  if (!t) throw new HttpError(404, `Could not retrieve template for template Id: ${id}`);
  return t;
}

function webTemplateReply(ctx: SimContext, t: TemplateData, extra: Record<string, string> = {}): Reply {
  if (!t.webTemplateRaw)
    throw new HttpError(404, `No web template available for ${t.templateId} in the simulator's data set`);
  return {
    status: 200,
    headers: {
      'content-type': 'application/openehr.wt+json',
      etag: `"${t.templateId}"`,
      location: `${ctx.urls.base}/definition/template/adl1.4/${encodeURIComponent(t.templateId)}`,
      'last-modified': LAST_MODIFIED,
      ...extra,
    },
    body: t.webTemplateRaw,
  };
}

/**
 * Template endpoints (openehr-rest.md §8): list as JSON, get as OPT XML (no Accept / XML) or web template
 * (`application/openehr.wt+json` or `application/json`), the deprecated `/webtemplate` sub-resource.
 */
export async function handleTemplate(ctx: SimContext, req: Req): Promise<Reply> {
  const [, , kind, id, sub] = req.segments;
  if (kind !== 'adl1.4') {
    if (kind === 'adl2')
      throw new HttpError(501, 'The current operation is not supported by this server: ADL2 templates');
    throw new HttpError(404, `No resource found at path: ${req.path}`);
  }
  if (req.method === 'POST' && id === undefined) return uploadTemplate(ctx, req);
  if (req.method !== 'GET') throw new HttpError(405, `Request method '${req.method}' is not supported`);
  if (id === undefined) {
    return jsonReply(
      200,
      ctx.data.templates.map((t) => ({
        template_id: t.templateId,
        archetype_id: t.archetypeId,
        concept: t.concept,
        created_timestamp: t.createdTimestamp,
      })),
    );
  }
  const t = find(ctx, id);
  if (sub === 'webtemplate') {
    return webTemplateReply(ctx, t, {
      deprecated: 'Mon, 03 Jun 2024 00:00:00 GMT',
      link: `<${ctx.urls.base}/definition/template/adl1.4/${encodeURIComponent(t.templateId)}>; rel="successor-version"`,
    });
  }
  if (sub === 'example') return exampleReply(ctx, req, t);
  if (sub !== undefined) throw new HttpError(404, `No resource found at path: ${req.path}`);
  const types = acceptedTypes(req.headers.accept);
  const wantsJson = types.find((x) => x === 'application/openehr.wt+json' || x === 'application/json');
  const wantsXml = types.find((x) => x === 'application/xml' || x === '*/*' || x === 'application/*');
  if (wantsJson && (!wantsXml || types.indexOf(wantsJson) < types.indexOf(wantsXml)))
    return webTemplateReply(ctx, t);
  if (!wantsXml) throw new HttpError(406, `Accept ${req.headers.accept} is not supported for templates`);
  if (!t.opt) throw new HttpError(404, `No OPT available for ${t.templateId} in the simulator's data set`);
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      etag: `"${t.templateId}"`,
      location: `${ctx.urls.base}/definition/template/adl1.4/${encodeURIComponent(t.templateId)}`,
      'last-modified': LAST_MODIFIED,
    },
    body: t.opt,
  };
}
