import type { Req, SimContext } from '../http/context.js';
import { HttpError, jsonReply, type Reply } from '../http/reply.js';

/** `GET /ehrbase/rest/status`: EHRbase's version report (values identify the simulator). */
export async function handleStatus(ctx: SimContext, req: Req): Promise<Reply> {
  if (req.method !== 'GET') throw new HttpError(405, `Request method '${req.method}' is not supported`);
  return jsonReply(200, {
    ehrbase_version: '2.31.0',
    openehr_sdk_version: '2.24.0',
    archie_version: '3.12.0',
    jvm_version: 'atlas-sim (Node.js)',
    os_version: `${process.platform} ${process.arch}`,
    postgres_version: 'none (in-memory simulator)',
    simulator: {
      flavour: ctx.flavour,
      seed: ctx.pop.seed,
      compositions: ctx.pop.size,
      ehrs: ctx.pop.totalEhrs,
    },
  });
}
