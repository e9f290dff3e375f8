import { describe, expect, it } from 'vitest';
import { loadDataSet } from '../../../sim/data/dataset.js';
import { DEMO_DATA_DIR } from '../../../sim/paths.js';
import { Orders } from '../../../sim/population/orders.js';
import { Population, type PopulationParams } from '../../../sim/population/population.js';
import { renderCanonical, renderFlat } from '../../../sim/population/render.js';

const data = loadDataSet(DEMO_DATA_DIR);
const params: PopulationParams = {
  seed: 42,
  ehrs: 50,
  generated: 5000,
  includeOriginals: true,
  updateRatio: 0.1,
  deleteRatio: 0.05,
  backdateRatio: 0.2,
  tieRatio: 0.05,
  endUs: Date.UTC(2025, 0, 1) * 1000,
  rangeUs: 365 * 86_400_000_000,
};

describe('generated population', () => {
  it('is a pure function of the seed', () => {
    const a = new Population(data, params);
    const b = new Population(data, params);
    const c = new Population(data, { ...params, seed: 43 });
    expect(Buffer.from(a.base.timeUs.buffer).equals(Buffer.from(b.base.timeUs.buffer))).toBe(true);
    expect(Buffer.from(a.base.ehr.buffer).equals(Buffer.from(b.base.ehr.buffer))).toBe(true);
    expect(renderFlat(a, 100, a.version(100))).toBe(renderFlat(b, 100, b.version(100)));
    expect(Buffer.from(a.base.ehr.buffer).equals(Buffer.from(c.base.ehr.buffer))).toBe(false);
  });

  it('spreads commit times over the range ending at the clock, in index order, with shared contributions', () => {
    const pop = new Population(data, params);
    const t = pop.base.timeUs;
    let ties = 0;
    for (let i = 1; i < t.length; i++) {
      expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]!);
      if (t[i] === t[i - 1]) ties++;
    }
    expect(ties).toBeGreaterThan(0);
    expect(t[0]!).toBeGreaterThanOrEqual(params.endUs - params.rangeUs);
    expect(t[t.length - 1]!).toBeLessThan(params.endUs);
  });

  it('has updated (version > 1), deleted and back-dated compositions in about the configured shares', () => {
    const pop = new Population(data, params);
    let updated = 0;
    let deleted = 0;
    let backdated = 0;
    for (let i = pop.base.originals; i < pop.size; i++) {
      if (pop.version(i) > 1) updated++;
      if (pop.isDeleted(i)) deleted++;
      if (pop.versionTimeUs(i, 1) - pop.startUs(i) > 86_400_000_000) backdated++;
    }
    expect(updated / 5000).toBeGreaterThan(0.07);
    expect(updated / 5000).toBeLessThan(0.13);
    expect(deleted / 5000).toBeGreaterThan(0.03);
    expect(deleted / 5000).toBeLessThan(0.07);
    expect(backdated / 5000).toBeGreaterThan(0.15);
    expect(backdated / 5000).toBeLessThan(0.25);
  });

  it('renders variants whose FLAT and canonical forms carry the same uid, start time and values', () => {
    const pop = new Population(data, params);
    for (let i = pop.base.originals; i < pop.base.originals + 200; i++) {
      const v = pop.version(i);
      const flat = JSON.parse(renderFlat(pop, i, v).toString()) as Record<string, unknown>;
      const canonical = JSON.parse(renderCanonical(pop, i, v).toString()) as {
        uid: { value: string };
        context: { start_time: { value: string } };
      };
      const p = pop.prototype(i);
      expect(flat[`${p.root}/_uid`]).toBe(pop.uid(i, v));
      expect(canonical.uid.value).toBe(pop.uid(i, v));
      expect(flat[`${p.root}/context/start_time`]).toBe(canonical.context.start_time.value);
      expect(canonical.context.start_time.value).toBe(pop.startTimeValue(i, v));
    }
  });

  it('keeps a base slot per composition and orders live ones by (time, uid) without duplicates', () => {
    const pop = new Population(data, params);
    const orders = new Orders(pop);
    const seen = new Set<number>();
    let prev: [number, string] | undefined;
    for (const i of orders.byTime()) {
      expect(seen.has(i)).toBe(false);
      seen.add(i);
      expect(pop.isDeleted(i)).toBe(false);
      const key: [number, string] = [pop.timeUs(i), pop.objectId(i)];
      if (prev) expect(prev[0] < key[0] || (prev[0] === key[0] && prev[1] < key[1])).toBe(true);
      prev = key;
    }
    let live = 0;
    for (let i = 0; i < pop.size; i++) if (!pop.isDeleted(i)) live++;
    expect(seen.size).toBe(live);
    const byUid = [...orders.byUid()].map((i) => pop.objectId(i));
    expect(byUid).toEqual([...byUid].sort());
    expect(byUid.length).toBe(live);
  });
});
