import { compileTemplate, TemplateRejected } from '../data/compile-template.js';
import { registerTemplate, TemplateExists } from '../data/registry.js';
import type { Req, SimContext } from '../http/context.js';
import { HttpError, LAST_MODIFIED, type Reply } from '../http/reply.js';
import { formatCommitTime } from '../time/iso.js';
import { wantsRepresentation } from './common.js';

/**
 * `POST /definition/template/adl1.4` with an OPT (flat-codec-rules.md §8.1): 201 + `Location` + `ETag`
 * (the OPT back with `Prefer: return=representation`), 409 for a known id unless overwriting is allowed,
 * 400 with EHRbase's reasons, 413 over the size limit, 415 for a body that is not XML. The template is
 * compiled completely before it is registered, so a refused upload leaves nothing behind.
 */
export async function uploadTemplate(ctx: SimContext, req: Req): Promise<Reply> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/xml' && type !== 'text/xml')
    throw new HttpError(
      415,
      `Content type '${type || 'none'}' not supported; send the OPT as application/xml`,
    );
  const body = await req.body(ctx.templateUpload.maxBytes);
  if (body.length === 0) throw new HttpError(400, 'Supplied template has nil or empty content');
  let template: ReturnType<typeof registerTemplate>['template'];
  try {
    const compiled = compileTemplate(body);
    template = registerTemplate(
      ctx.data,
      compiled,
      ctx.templateUpload.allowOverwrite,
      formatCommitTime(ctx.clock.nowUs()),
    ).template;
  } catch (err) {
    if (err instanceof TemplateRejected) throw new HttpError(400, err.message);
    if (err instanceof TemplateExists) throw new HttpError(409, err.message);
    throw err;
  }
  const headers = {
    location: `${ctx.urls.base}/definition/template/adl1.4/${encodeURIComponent(template.templateId)}`,
    etag: `"${template.templateId}"`,
    'last-modified': LAST_MODIFIED,
  };
  if (!wantsRepresentation(req.headers.prefer)) return { status: 201, headers };
  return { status: 201, headers: { ...headers, 'content-type': 'application/xml' }, body: template.opt! };
}
