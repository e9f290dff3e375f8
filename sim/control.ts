import type { SimContext } from './http/context.js';
import type { Orders } from './population/orders.js';
import { canonicalObject, lookupVersion } from './population/render.js';
import { servedFlatObject } from './population/served-flat.js';
import { formatCommitTime, parseInstantUs } from './time/iso.js';
import type { LiveComposition, SimulatorControl, SimulatorTotals } from './types.js';

/** The programmatic control API (also served under `/_sim`). */
export function createControl(ctx: SimContext, orders: Orders): SimulatorControl {
  const { pop } = ctx;

  const versionOf = (uidOrObjectId: string): { i: number; v: number } | undefined => {
    const parts = uidOrObjectId.split('::');
    const i = pop.findComposition(parts[0]!);
    if (i < 0) return undefined;
    const found = lookupVersion(pop, i, parts.length >= 3 ? Number(parts[parts.length - 1]) : undefined);
    return found.kind === 'data' ? { i, v: found.version } : undefined;
  };

  return {
    commit: (templateId, ehrId, flatOverrides) => ctx.mutations.commit(templateId, ehrId, flatOverrides),
    update: (objectId, edits) => ctx.mutations.update(objectId, edits),
    delete: (objectId) => ctx.mutations.delete(objectId),
    garbleCommitTime(uid, text) {
      const at = versionOf(uid);
      if (!at) throw new Error(`atlas-sim: garbleCommitTime(${uid}): no such version`);
      pop.garbleCommitTime(at.i, at.v, text);
    },
    setClock(iso) {
      const us = parseInstantUs(iso);
      if (Number.isNaN(us)) throw new Error(`atlas-sim: setClock(${iso}): not an ISO date-time`);
      ctx.clock.set(us);
    },
    advanceClock: (ms) => ctx.clock.advance(ms),
    now: () => formatCommitTime(ctx.clock.nowUs()),
    setFaults(partial) {
      ctx.faults.set(partial);
      if (partial.tokenTtlSeconds !== undefined) ctx.tokens.ttlSeconds = partial.tokenTtlSeconds;
    },
    faults: () => ({ ...ctx.faults.get(), tokenTtlSeconds: ctx.tokens.ttlSeconds }),
    revokeTokens: () => ctx.tokens.revoke(),
    stats: () => ({ ...ctx.stats }),
    requestsBySecond: () =>
      [...ctx.arrivals].sort((a, b) => a[0] - b[0]).map(([second, requests]) => ({ second, requests })),
    resetStats() {
      for (const k of Object.keys(ctx.stats) as Array<keyof typeof ctx.stats>) ctx.stats[k] = 0;
      ctx.arrivals.clear();
    },
    *liveCompositions(templateId): Generator<LiveComposition> {
      for (const i of orders.byTime()) {
        const p = pop.prototype(i);
        if (p.templateId !== templateId) continue;
        const v = pop.version(i);
        yield {
          ehrId: pop.ehrId(pop.ehrIndex(i)),
          uid: pop.uid(i, v),
          objectId: pop.objectId(i),
          templateId,
          timeCommitted: formatCommitTime(pop.timeUs(i)),
        };
      }
    },
    *allCompositions() {
      for (let i = 0; i < pop.size; i++) {
        yield {
          ehrId: pop.ehrId(pop.ehrIndex(i)),
          objectId: pop.objectId(i),
          templateId: pop.prototype(i).templateId,
          latestVersion: pop.version(i),
          deleted: pop.isDeleted(i),
          original: pop.isOriginal(i),
        };
      }
    },
    getFlat(uidOrObjectId) {
      const at = versionOf(uidOrObjectId);
      return at ? servedFlatObject(pop, at.i, at.v, ctx.faults.get()) : undefined;
    },
    getCanonical(uidOrObjectId) {
      const at = versionOf(uidOrObjectId);
      return at ? canonicalObject(pop, at.i, at.v) : undefined;
    },
    totals(): SimulatorTotals {
      const liveByTemplate: Record<string, number> = Object.fromEntries(
        ctx.data.templates.map((t) => [t.templateId, 0]),
      );
      let deleted = 0;
      for (let i = 0; i < pop.size; i++) {
        if (pop.isDeleted(i)) deleted++;
        else liveByTemplate[pop.prototype(i).templateId]!++;
      }
      return {
        ehrs: pop.totalEhrs,
        compositions: pop.size,
        live: pop.size - deleted,
        deleted,
        liveByTemplate,
      };
    },
    templateIds: () => ctx.data.templates.map((t) => t.templateId),
    ehrId(index) {
      if (!Number.isInteger(index) || index < 0 || index >= pop.totalEhrs) {
        throw new Error(`atlas-sim: EHR index ${index} out of range 0..${pop.totalEhrs - 1}`);
      }
      return pop.ehrId(index);
    },
  };
}
