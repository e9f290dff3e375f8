import type { SimContext } from '../http/context.js';
import { HttpError } from '../http/reply.js';
import { isUuid } from '../population/ids.js';

/** EHR index of a path segment, or EHRbase's 404s (non-UUID ids get their own message). */
export function ehrOr404(ctx: SimContext, id: string): number {
  if (!isUuid(id)) throw new HttpError(404, 'EHR not found, in fact, only UUID-type IDs are supported');
  const e = ctx.pop.findEhr(id);
  if (e < 0) throw new HttpError(404, `EHR with id ${id} not found`);
  return e;
}

export function parseJsonBody(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (cause) {
    throw new HttpError(400, `JSON parse error: ${(cause as Error).message}`);
  }
}

/** The representation preference `Prefer: return=representation` (exact string, as EHRbase). */
export function wantsRepresentation(prefer: string | string[] | undefined): boolean {
  return [prefer ?? '']
    .flat()
    .join(',')
    .split(',')
    .some((p) => p.trim() === 'return=representation');
}
