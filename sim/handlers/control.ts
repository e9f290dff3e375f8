import type { Req, SimContext } from '../http/context.js';
import { HttpError, jsonReply, type Reply } from '../http/reply.js';
import { MutationError } from '../population/mutations.js';
import type { Faults, SimulatorControl } from '../types.js';
import { parseJsonBody } from './common.js';

async function jsonBody(req: Req): Promise<Record<string, unknown>> {
  const buf = await req.body();
  if (buf.length === 0) return {};
  const v = parseJsonBody(buf);
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new HttpError(400, 'Expected a JSON object');
  return v as Record<string, unknown>;
}

function str(body: Record<string, unknown>, key: string, required: true): string;
function str(body: Record<string, unknown>, key: string, required: false): string | undefined;
function str(body: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new HttpError(400, `"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new HttpError(400, `"${key}" must be a string`);
  return v;
}

function obj(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, `"${key}" must be a JSON object`);
  return v as Record<string, unknown>;
}

/** `/_sim/...`: the programmatic control API over HTTP for out-of-process users (see docs/simulator.md). */
export async function handleControl(_ctx: SimContext, control: SimulatorControl, req: Req): Promise<Reply> {
  const route = `${req.method} ${req.segments.join('/')}`;
  try {
    switch (route) {
      case 'GET stats':
        return jsonReply(200, control.stats());
      case 'POST stats/reset':
        control.resetStats();
        return jsonReply(200, control.stats());
      case 'GET totals':
        return jsonReply(200, control.totals());
      case 'GET process': {
        // Server-side cost for benchmarks that share a noisy machine: CPU time is stabler than wall time.
        const cpu = process.cpuUsage();
        const mem = process.memoryUsage();
        return jsonReply(200, {
          cpuUserUs: cpu.user,
          cpuSystemUs: cpu.system,
          rssBytes: mem.rss,
          heapUsedBytes: mem.heapUsed,
        });
      }
      case 'GET templates':
        return jsonReply(200, control.templateIds());
      case 'POST commit': {
        const b = await jsonBody(req);
        return jsonReply(
          201,
          control.commit(str(b, 'templateId', true), str(b, 'ehrId', false), obj(b, 'flat')),
        );
      }
      case 'POST update': {
        const b = await jsonBody(req);
        return jsonReply(200, { uid: control.update(str(b, 'objectId', true), obj(b, 'edits')) });
      }
      case 'POST delete': {
        const b = await jsonBody(req);
        return jsonReply(200, { uid: control.delete(str(b, 'objectId', true)) });
      }
      case 'GET clock':
        return jsonReply(200, { now: control.now() });
      case 'POST clock': {
        const b = await jsonBody(req);
        const now = str(b, 'now', false);
        if (now !== undefined) control.setClock(now);
        if (b.advanceMs !== undefined) {
          if (typeof b.advanceMs !== 'number') throw new HttpError(400, '"advanceMs" must be a number');
          control.advanceClock(b.advanceMs);
        }
        return jsonReply(200, { now: control.now() });
      }
      case 'GET faults':
        return jsonReply(200, control.faults());
      case 'POST faults':
        control.setFaults((await jsonBody(req)) as Faults);
        return jsonReply(200, control.faults());
      case 'POST tokens/revoke':
        control.revokeTokens();
        return jsonReply(200, { revoked: true });
      case 'GET live': {
        const templateId = req.query.get('templateId');
        if (!templateId) throw new HttpError(400, 'templateId query parameter is required');
        const offset = Number(req.query.get('offset') ?? 0);
        const limit = Number(req.query.get('limit') ?? Number.POSITIVE_INFINITY);
        const out = [];
        let k = 0;
        for (const c of control.liveCompositions(templateId)) {
          if (k++ < offset) continue;
          if (out.length >= limit) break;
          out.push(c);
        }
        return jsonReply(200, out);
      }
      default:
        break;
    }
    const [first, id, form] = req.segments;
    if (req.method === 'GET' && first === 'compositions' && id && (form === 'flat' || form === 'canonical')) {
      const doc = form === 'flat' ? control.getFlat(id) : control.getCanonical(id);
      if (!doc) throw new HttpError(404, `No live version ${id}`);
      return jsonReply(200, doc);
    }
    if (req.method === 'GET' && first === 'ehrs' && id && /^\d+$/.test(id))
      return jsonReply(200, { ehrId: control.ehrId(Number(id)) });
    throw new HttpError(404, `No control route ${route}`);
  } catch (err) {
    if (err instanceof MutationError) throw new HttpError(err.status, err.message);
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, (err as Error).message);
  }
}
