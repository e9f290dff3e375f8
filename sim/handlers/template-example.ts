import { formatFlat, type WebTemplate } from '../../src/template/index.js';
import { flatToStructured } from '../convert/structured.js';
import { canonicalToXml } from '../convert/xml.js';
import type { TemplateData } from '../data/dataset.js';
import { exampleComposition } from '../generate/example.js';
import type { Req, SimContext } from '../http/context.js';
import { HttpError, type Reply } from '../http/reply.js';
import { CONTENT_TYPE, type Representation } from '../http/representation.js';

const FORMATS: Record<string, Representation> = {
  JSON: 'canonical',
  FLAT: 'flat',
  XML: 'xml',
  STRUCTURED: 'structured',
};

/** `GET …/definition/template/adl1.4/{id}/example?format=FLAT|JSON|XML|STRUCTURED` (default JSON). */
export function exampleReply(ctx: SimContext, req: Req, t: TemplateData): Reply {
  const format = (req.query.get('format') ?? 'JSON').toUpperCase();
  const rep = FORMATS[format];
  if (!rep) throw new HttpError(400, `Format ${format} not supported`);
  if (!t.webTemplate)
    throw new HttpError(404, `No web template available for ${t.templateId} in the simulator's data set`);
  const now = new Date(Math.floor(ctx.clock.nowUs() / 1000)).toISOString();
  const { canonical, flat } = exampleComposition(t.webTemplate as unknown as WebTemplate, now);
  const body =
    rep === 'canonical'
      ? JSON.stringify(canonical)
      : rep === 'flat'
        ? formatFlat(flat, { pretty: false })
        : rep === 'xml'
          ? canonicalToXml(canonical)
          : JSON.stringify(flatToStructured(flat));
  return { status: 200, headers: { 'content-type': CONTENT_TYPE[rep] }, body };
}
