import {
  CanonicalCodecError,
  canonicalToFlat,
  FlatCodecError,
  flatToCanonical,
  type WebTemplate,
} from '../../src/template/index.js';
import { constraintViolations } from '../convert/constraints.js';
import { flatToStructured, structuredToFlat } from '../convert/structured.js';
import { canonicalToXml } from '../convert/xml.js';
import { XmlCompositionError, xmlToCanonical } from '../convert/xml-in.js';
import type { TemplateData } from '../data/dataset.js';
import type { Req, SimContext } from '../http/context.js';
import { HttpError, INTERNAL_ERROR_MESSAGE, LAST_MODIFIED, type Reply } from '../http/reply.js';
import { CONTENT_TYPE, type Representation, selectRepresentation } from '../http/representation.js';
import { isUuid } from '../population/ids.js';
import { MutationError } from '../population/mutations.js';
import { SYSTEM_ID } from '../population/population.js';
import { canonicalObject, flatObject, lookupVersion, renderCanonical } from '../population/render.js';
import { servedFlat } from '../population/served-flat.js';
import { parseInstantUs } from '../time/iso.js';
import { ehrOr404, parseJsonBody, wantsRepresentation } from './common.js';
import { handleVersioned } from './versioned.js';

function render(ctx: SimContext, i: number, v: number, rep: Representation): string | Buffer {
  switch (rep) {
    case 'canonical':
      return renderCanonical(ctx.pop, i, v);
    case 'flat':
      return servedFlat(ctx.pop, i, v, ctx.faults.get());
    case 'structured':
      return JSON.stringify(flatToStructured(flatObject(ctx.pop, i, v)));
    case 'xml':
      return canonicalToXml(canonicalObject(ctx.pop, i, v));
  }
}

/** `<uuid>` or `<uuid>::<system>::<n>` → (index, version?) within the EHR, else EHRbase's errors. */
function locate(ctx: SimContext, e: number, id: string): { i: number; version?: number } {
  const parts = id.split('::');
  const uuid = parts[0]!;
  if (!isUuid(uuid)) throw new HttpError(400, `Invalid composition id ${id}: not a UUID`);
  let version: number | undefined;
  if (parts.length >= 3) {
    version = Number(parts[parts.length - 1]);
    if (!Number.isInteger(version) || version < 1)
      throw new HttpError(400, "Version can't be zero or negative.");
  }
  const i = ctx.pop.findComposition(uuid);
  if (i < 0 || ctx.pop.ehrIndex(i) !== e) throw new HttpError(404, "Couldn't retrieve composition");
  return { i, ...(version !== undefined ? { version } : {}) };
}

/**
 * The 404 for a composition GET, or, when emulating EHRbase #1382 (`flatMissing500`), the generic 500 that
 * EHRbase 2.6 answers when the missing composition was asked for in FLAT.
 */
function compositionNotFound(ctx: SimContext, req: Req): HttpError {
  if (ctx.faults.get().flatMissing500) {
    const rep = selectRepresentation(ctx.flavour, req.headers.accept, req.query.get('format'));
    if (rep === 'flat') return new HttpError(500, INTERNAL_ERROR_MESSAGE);
  }
  return new HttpError(404, "Couldn't retrieve composition");
}

function locateForGet(ctx: SimContext, req: Req, e: number, id: string): { i: number; version?: number } {
  try {
    return locate(ctx, e, id);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) throw compositionNotFound(ctx, req);
    throw err;
  }
}

function getComposition(ctx: SimContext, req: Req, ehrSeg: string, id: string): Reply {
  const e = ehrOr404(ctx, ehrSeg);
  const { i, version } = locateForGet(ctx, req, e, id);
  const rep = selectRepresentation(ctx.flavour, req.headers.accept, req.query.get('format'));
  const at = req.query.get('version_at_time');
  let atUs: number | undefined;
  if (at !== null && version === undefined) {
    atUs = parseInstantUs(at);
    if (Number.isNaN(atUs))
      throw new HttpError(400, `Value '${at}' of version_at_time is not a valid date-time`);
  }
  const found = lookupVersion(ctx.pop, i, version, atUs);
  if (found.kind === 'missing') throw compositionNotFound(ctx, req);
  if (found.kind === 'deleted') return { status: 204 };
  return {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPE[rep],
      etag: `"${ctx.pop.uid(i, found.version)}"`,
      location: `${ctx.urls.base}/ehr/${ehrSeg}/composition/${id}`,
      'last-modified': LAST_MODIFIED,
    },
    body: render(ctx, i, found.version, rep),
  };
}

type Docs = {
  flat: Record<string, unknown>;
  canonical: Record<string, unknown>;
  posted: 'flat' | 'canonical' | 'xml';
  /** The version uid the body carried (`<root>/_uid` or canonical `uid`), if any. */
  givenUid?: string;
};

/** Canonical XML body → canonical JSON (400 for XML that is not a canonical composition). */
function readXml(body: Buffer): Record<string, unknown> {
  try {
    return xmlToCanonical(body.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlCompositionError) throw new HttpError(400, err.message);
    throw err;
  }
}

/** EHRbase's checks of a client-chosen uid on create (flat-codec-rules.md §8.2 → 412); the uuid to use. */
function chosenUuid(ctx: SimContext, uid: string): string {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})::([^:]+)::(\d+)$/i.exec(uid);
  if (!m) throw new HttpError(412, `Provided Id ${uid} is not a ObjectVersionId`);
  if (m[3] !== '1') throw new HttpError(412, `Provided Id ${uid} has a invalid Version. Expect Version 1`);
  if (m[2] !== SYSTEM_ID)
    throw new HttpError(412, `Mismatch of creating_system_id: ${m[2]} is not ${SYSTEM_ID}`);
  // One versioned object lives in one EHR: a uuid used anywhere (this EHR or another) is refused.
  if (ctx.pop.findComposition(m[1]!) >= 0) throw new HttpError(412, `Provided Id ${uid} already exists`);
  return m[1]!;
}

/** 422 for a composition that parsed but breaks its template's constraints (flat-codec-rules.md §8.2). */
function checkConstraints(wt: WebTemplate, flat: Record<string, unknown>): void {
  const problems = constraintViolations(wt, flat);
  if (problems.length > 0) throw new HttpError(422, problems.join(', '));
}

/** Body of a POST/PUT as both forms; FLAT needs `templateId` (it carries none), canonical names its own. */
async function readDocs(ctx: SimContext, req: Req): Promise<{ template: TemplateData; docs: Docs }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const format = req.query.get('format');
  // STRUCTURED is read as FLAT once the web template says which segments repeat.
  const isStructured =
    format === 'STRUCTURED' ||
    type === 'application/openehr.wt.structured.schema+json' ||
    type === 'application/openehr.wt.structured+json';
  const isFlat =
    isStructured ||
    format === 'FLAT' ||
    type === 'application/openehr.wt.flat.schema+json' ||
    type === 'application/openehr.wt.flat+json';
  const isXml = !isFlat && (type === 'application/xml' || type === 'text/xml');
  if (type && type !== 'application/json' && !isFlat && !isXml)
    throw new HttpError(415, `Content type '${type}' not supported`);
  const body = isXml ? readXml(await req.body()) : parseJsonBody(await req.body());
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, 'Composition body must be a JSON object');
  let doc = body as Record<string, unknown>;
  const templateId = isFlat
    ? req.query.get('templateId')
    : ((doc.archetype_details as { template_id?: { value?: unknown } } | undefined)?.template_id?.value as
        | string
        | undefined);
  if (!templateId) {
    throw new HttpError(
      400,
      isFlat
        ? 'Template id needs to be specified (templateId query parameter)'
        : 'Composition missing mandatory attribute: archetype_details.template_id',
    );
  }
  const template = ctx.data.templates.find((t) => t.templateId === templateId);
  if (!template) throw new HttpError(422, `Unknown template ${templateId}`);
  const wt = template.webTemplate;
  if (!wt)
    throw new HttpError(
      422,
      `Template ${templateId} has no web template; cannot convert ${isFlat ? 'FLAT' : 'canonical'}`,
    );
  const codecWt = wt as unknown as WebTemplate;
  if (isStructured) doc = structuredToFlat(wt.tree, doc);
  let docs: Docs;
  try {
    if (isFlat) {
      // `<root>/_uid` is checked and applied by the caller (create) or ignored (update), as on EHRbase.
      const uidKey = `${wt.tree.id}/_uid`;
      const givenUid = typeof doc[uidKey] === 'string' ? (doc[uidKey] as string) : undefined;
      const input = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== uidKey));
      const canonical = flatToCanonical(wt, input, {
        now: () => new Date(Math.floor(ctx.clock.nowUs() / 1000)).toISOString(),
      });
      // What EHRbase answers on GET: the stored composition marshalled again, not the posted keys.
      docs = {
        flat: canonicalToFlat(wt, canonical),
        canonical,
        posted: 'flat',
        ...(givenUid ? { givenUid } : {}),
      };
    } else {
      const uid = (doc.uid as { value?: unknown } | undefined)?.value;
      docs = {
        flat: canonicalToFlat(wt, doc),
        canonical: doc,
        posted: isXml ? 'xml' : 'canonical',
        ...(typeof uid === 'string' ? { givenUid: uid } : {}),
      };
    }
  } catch (cause) {
    // EHRbase: UnmarshalException → 400 `Could not consume Parts [...]` (flat-codec-rules.md §8.2).
    if (cause instanceof FlatCodecError || cause instanceof CanonicalCodecError)
      throw new HttpError(400, cause.message);
    throw new HttpError(422, (cause as Error).message);
  }
  checkConstraints(codecWt, docs.flat);
  return { template, docs };
}

function writeReply(
  ctx: SimContext,
  req: Req,
  status: 200 | 201,
  ehrSeg: string,
  i: number,
  posted: 'flat' | 'canonical' | 'xml',
): Reply {
  const v = ctx.pop.version(i);
  const headers = {
    etag: `"${ctx.pop.uid(i, v)}"`,
    location: `${ctx.urls.base}/ehr/${ehrSeg}/composition/${ctx.pop.objectId(i)}`,
    'last-modified': LAST_MODIFIED,
  };
  if (!wantsRepresentation(req.headers.prefer)) return { status: 204, headers };
  const rep = posted;
  return { status, headers: { ...headers, 'content-type': CONTENT_TYPE[rep] }, body: render(ctx, i, v, rep) };
}

function stripQuotes(tag: string): string {
  return tag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

export async function handleComposition(ctx: SimContext, req: Req): Promise<Reply> {
  if (req.segments[2] === 'versioned_composition') return handleVersioned(ctx, req);
  const [, ehrSeg = '', , id] = req.segments;
  if (req.method === 'GET' && id !== undefined) return getComposition(ctx, req, ehrSeg, id);
  const e = ehrOr404(ctx, ehrSeg);
  try {
    if (req.method === 'POST' && id === undefined) {
      const { template, docs } = await readDocs(ctx, req);
      const uuid = docs.givenUid !== undefined ? chosenUuid(ctx, docs.givenUid) : undefined;
      const i = ctx.mutations.create(e, ctx.data.prototypes[template.anchor]!, docs, uuid);
      return writeReply(ctx, req, 201, ehrSeg, i, docs.posted);
    }
    if (req.method === 'PUT' && id !== undefined) {
      const ifMatch = req.headers['if-match'];
      if (!ifMatch)
        throw new HttpError(
          400,
          "Required request header 'If-Match' for method parameter type String is not present",
        );
      const { i } = locate(ctx, e, id);
      if (ctx.pop.isDeleted(i)) throw new HttpError(404, "Couldn't retrieve composition");
      const current = ctx.pop.uid(i, ctx.pop.version(i));
      const headers = {
        etag: `"${current}"`,
        location: `${ctx.urls.base}/ehr/${ehrSeg}/composition/${ctx.pop.objectId(i)}`,
      };
      if (stripQuotes(ifMatch) !== current)
        throw new HttpError(
          412,
          `If-Match version ${stripQuotes(ifMatch)} is not the latest version ${current}`,
          headers,
        );
      const { template, docs } = await readDocs(ctx, req);
      if (template.templateId !== ctx.pop.prototype(i).templateId)
        throw new HttpError(400, 'Template of the new version differs from the composition’s template');
      ctx.mutations.replace(i, docs);
      return writeReply(ctx, req, 200, ehrSeg, i, docs.posted);
    }
    if (req.method === 'DELETE' && id !== undefined) {
      const { i, version } = locate(ctx, e, id);
      if (ctx.pop.isDeleted(i)) throw new HttpError(409, `Composition ${id} is already deleted`);
      const latest = ctx.pop.version(i);
      if (version !== undefined && version !== latest) {
        throw new HttpError(
          409,
          `Provided version ${id} is not the latest version ${ctx.pop.uid(i, latest)}`,
        );
      }
      const deletion = ctx.mutations.delete(ctx.pop.objectId(i));
      return {
        status: 204,
        headers: {
          etag: `"${deletion}"`,
          location: `${ctx.urls.base}/ehr/${ehrSeg}/composition/${ctx.pop.objectId(i)}`,
          'last-modified': LAST_MODIFIED,
        },
      };
    }
  } catch (err) {
    if (err instanceof MutationError) throw new HttpError(err.status, err.message);
    throw err;
  }
  throw new HttpError(405, `Request method '${req.method}' is not supported`);
}
