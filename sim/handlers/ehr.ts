import type { Req, SimContext } from '../http/context.js';
import { HttpError, jsonReply, LAST_MODIFIED, type Reply } from '../http/reply.js';
import { isUuid, makeId } from '../population/ids.js';
import { SYSTEM_ID } from '../population/population.js';
import { formatCommitTime } from '../time/iso.js';
import { ehrOr404, wantsRepresentation } from './common.js';

/** EHR JSON as EHRbase ≥ 2.30 returns it (`ehr_status` is an OBJECT_REF). */
function ehrJson(ctx: SimContext, e: number) {
  return {
    system_id: { value: SYSTEM_ID },
    ehr_id: { value: ctx.pop.ehrId(e) },
    ehr_status: {
      id: { _type: 'OBJECT_VERSION_ID', value: ctx.pop.ehrStatusUid(e) },
      namespace: 'local',
      type: 'EHR_STATUS',
    },
    time_created: { value: formatCommitTime(ctx.pop.ehrCreatedUs(e)) },
  };
}

function ehrHeaders(ctx: SimContext, id: string): Record<string, string> {
  return { etag: `"${id}"`, location: `${ctx.urls.base}/ehr/${id}`, 'last-modified': LAST_MODIFIED };
}

function created(ctx: SimContext, req: Req, e: number): Reply {
  const id = ctx.pop.ehrId(e);
  if (wantsRepresentation(req.headers.prefer)) return jsonReply(201, ehrJson(ctx, e), ehrHeaders(ctx, id));
  return { status: 201, headers: ehrHeaders(ctx, id) };
}

export async function handleEhr(ctx: SimContext, req: Req): Promise<Reply> {
  const [, id] = req.segments;
  if (req.method === 'GET' && id !== undefined && req.segments.length === 2) {
    const e = ehrOr404(ctx, id);
    return jsonReply(200, ehrJson(ctx, e), ehrHeaders(ctx, ctx.pop.ehrId(e)));
  }
  if (req.method === 'GET' && req.segments.length === 1) {
    const subject = req.query.get('subject_id');
    const namespace = req.query.get('subject_namespace');
    for (const [name, v] of [
      ['subject_id', subject],
      ['subject_namespace', namespace],
    ] as const) {
      if (v === null)
        throw new HttpError(
          400,
          `Required request parameter '${name}' for method parameter type String is not present`,
        );
    }
    const m = /^sim-(\d{7})$/.exec(subject!);
    let e = m && namespace === 'atlas.sim' ? Number(m[1]) - 1 : -1;
    if (e >= ctx.pop.ehrCount) e = -1;
    if (e < 0 && namespace === 'atlas.sim') {
      for (let k = ctx.pop.ehrCount; k < ctx.pop.totalEhrs; k++)
        if (ctx.pop.ehrSubjectId(k) === subject) e = k;
    }
    if (e < 0) throw new HttpError(404, 'No EHR with supplied subject parameters found');
    return jsonReply(200, ehrJson(ctx, e), ehrHeaders(ctx, ctx.pop.ehrId(e)));
  }
  if (req.method === 'POST' && req.segments.length === 1) {
    const id = makeId(ctx.pop.seed, 'ehr', 0x40000000 + ctx.pop.totalEhrs);
    return created(ctx, req, ctx.pop.addEhr(id, ctx.clock.nowUs()));
  }
  if (req.method === 'PUT' && id !== undefined && req.segments.length === 2) {
    if (!isUuid(id)) throw new HttpError(400, `EHR id ${id} is not a valid UUID`);
    if (ctx.pop.findEhr(id) >= 0) throw new HttpError(409, `EHR with this ID already exists`);
    return created(ctx, req, ctx.pop.addEhr(id, ctx.clock.nowUs()));
  }
  throw new HttpError(405, `Request method '${req.method}' is not supported`);
}
