import type { Req, SimContext } from '../http/context.js';
import { HttpError, jsonReply, type Reply } from '../http/reply.js';
import { isUuid } from '../population/ids.js';
import { SYSTEM_ID } from '../population/population.js';
import { canonicalObject, lookupVersion } from '../population/render.js';
import { formatCommitTime, parseInstantUs } from '../time/iso.js';
import { ehrOr404 } from './common.js';

const coded = (value: string, code: string) => ({
  _type: 'DV_CODED_TEXT',
  value,
  defining_code: {
    _type: 'CODE_PHRASE',
    terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
    code_string: code,
  },
});

function audit(ctx: SimContext, i: number, v: number, deletion: boolean) {
  const time = deletion ? ctx.pop.deletionTimeUs(i) : ctx.pop.versionTimeUs(i, v);
  return {
    _type: 'AUDIT_DETAILS',
    system_id: SYSTEM_ID,
    time_committed: { _type: 'DV_DATE_TIME', value: formatCommitTime(time) },
    change_type: deletion
      ? coded('deleted', '523')
      : v === 1
        ? coded('creation', '249')
        : coded('modification', '251'),
    committer: { _type: 'PARTY_SELF' },
  };
}

/** ORIGINAL_VERSION JSON (EHRbase ≥ 2.30: `contribution` is a reference). */
function originalVersion(ctx: SimContext, i: number, v: number, deletion: boolean) {
  return {
    _type: 'ORIGINAL_VERSION',
    uid: { _type: 'OBJECT_VERSION_ID', value: ctx.pop.uid(i, v) },
    ...(v > 1 ? { preceding_version_uid: { _type: 'OBJECT_VERSION_ID', value: ctx.pop.uid(i, v - 1) } } : {}),
    contribution: {
      id: { _type: 'HIER_OBJECT_ID', value: ctx.pop.contributionId(i, v) },
      namespace: 'local',
      type: 'CONTRIBUTION',
    },
    commit_audit: audit(ctx, i, v, deletion),
    lifecycle_state: deletion ? coded('deleted', '523') : coded('complete', '532'),
    ...(deletion ? {} : { data: canonicalObject(ctx.pop, i, v) }),
  };
}

/**
 * `/ehr/{ehr_id}/versioned_composition/{uuid}` and its `/version/{version_uid}`, `/version?version_at_time`
 * and `/revision_history` (openehr-rest.md §3.1): where a client finds a version's commit time outside AQL.
 */
export async function handleVersioned(ctx: SimContext, req: Req): Promise<Reply> {
  const [, ehrSeg = '', , uuid = '', sub, versionUid] = req.segments;
  if (req.method !== 'GET') throw new HttpError(405, `Request method '${req.method}' is not supported`);
  const e = ehrOr404(ctx, ehrSeg);
  if (!isUuid(uuid)) throw new HttpError(400, `Invalid versioned object id ${uuid}`);
  const i = ctx.pop.findComposition(uuid);
  if (i < 0 || ctx.pop.ehrIndex(i) !== e)
    throw new HttpError(404, `No VERSIONED_COMPOSITION with id ${uuid}`);
  const latest = ctx.pop.version(i);
  const versions = latest + (ctx.pop.isDeleted(i) ? 1 : 0);
  if (sub === undefined) {
    return jsonReply(200, {
      _type: 'VERSIONED_COMPOSITION',
      uid: { _type: 'HIER_OBJECT_ID', value: ctx.pop.objectId(i) },
      owner_id: { _type: 'HIER_OBJECT_ID', value: ctx.pop.ehrId(e) },
      time_created: { _type: 'DV_DATE_TIME', value: formatCommitTime(ctx.pop.versionTimeUs(i, 1)) },
    });
  }
  if (sub === 'revision_history') {
    const items = Array.from({ length: versions }, (_, k) => ({
      version_id: { value: ctx.pop.uid(i, k + 1) },
      audits: [audit(ctx, i, k + 1, k + 1 > latest)],
    }));
    return jsonReply(200, { items });
  }
  if (sub !== 'version') throw new HttpError(404, `No resource found at path: ${req.path}`);
  let found: ReturnType<typeof lookupVersion>;
  if (versionUid !== undefined) {
    const v = Number(versionUid.split('::').pop());
    if (!versionUid.includes('::') || !Number.isInteger(v) || v < 1)
      throw new HttpError(400, `Invalid version uid ${versionUid}`);
    found = lookupVersion(ctx.pop, i, v);
  } else {
    const at = req.query.get('version_at_time');
    const atUs = at === null ? undefined : parseInstantUs(at);
    if (atUs !== undefined && Number.isNaN(atUs))
      throw new HttpError(400, `Value '${at}' of version_at_time is not a valid date-time`);
    found = lookupVersion(ctx.pop, i, undefined, atUs);
  }
  if (found.kind === 'missing') throw new HttpError(404, `No version of ${uuid} found`);
  return jsonReply(200, originalVersion(ctx, i, found.version, found.kind === 'deleted'), {
    etag: `"${ctx.pop.uid(i, found.version)}"`,
  });
}
