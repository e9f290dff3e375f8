import { idPrefix } from './ids.js';
import type { Population } from './population.js';

export interface TimeBounds {
  fromUs?: number;
  fromInclusive?: boolean;
  toUs?: number;
  toInclusive?: boolean;
}

function lowerBound(a: Float64Array, value: number, strict: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? a[mid]! <= value : a[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Orders over the live compositions without sorting the population per query: the base is already in
 * commit-time order (ties broken by uuid per tie group), mutated/created compositions live in a small
 * sorted list and are merged in; uid order and per-EHR lists are built once, lazily.
 */
export class Orders {
  private uidOrder?: Uint32Array;
  private ehrOffsets?: Uint32Array;
  private ehrItems?: Uint32Array;

  constructor(private readonly pop: Population) {}

  private inBounds(t: number, b: TimeBounds): boolean {
    if (b.fromUs !== undefined && (b.fromInclusive === false ? t <= b.fromUs : t < b.fromUs)) return false;
    if (b.toUs !== undefined && (b.toInclusive ? t > b.toUs : t >= b.toUs)) return false;
    return true;
  }

  private cmp(a: number, b: number): number {
    const d = this.pop.timeUs(a) - this.pop.timeUs(b);
    if (d !== 0) return d;
    const x = this.pop.objectId(a);
    const y = this.pop.objectId(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** Base slots still in generated order, live, in (time, uuid) order within [bounds]. */
  private *baseByTime(b: TimeBounds, descending: boolean): Generator<number> {
    const base = this.pop.base;
    const t = base.timeUs;
    const keep = (i: number) => this.pop.inBaseOrder(i) && !base.deleted[i];
    if (!descending) {
      let i = b.fromUs === undefined ? 0 : lowerBound(t, b.fromUs, b.fromInclusive === false);
      while (i < base.size) {
        const time = t[i]!;
        if (!this.inBounds(time, b)) return;
        let j = i + 1;
        while (j < base.size && t[j] === time) j++;
        if (j === i + 1) {
          if (keep(i)) yield i;
        } else {
          const group: number[] = [];
          for (let k = i; k < j; k++) if (keep(k)) group.push(k);
          group.sort((a, c) => this.cmp(a, c));
          yield* group;
        }
        i = j;
      }
      return;
    }
    let i = b.toUs === undefined ? base.size - 1 : lowerBound(t, b.toUs, b.toInclusive === true) - 1;
    while (i >= 0) {
      const time = t[i]!;
      if (!this.inBounds(time, b)) return;
      let j = i - 1;
      while (j >= 0 && t[j] === time) j--;
      const group: number[] = [];
      for (let k = j + 1; k <= i; k++) if (keep(k)) group.push(k);
      if (group.length > 1) group.sort((a, c) => this.cmp(c, a));
      yield* group;
      i = j;
    }
  }

  /** Live compositions ordered by (latest commit time, uuid), ascending or descending, within bounds. */
  *byTime(b: TimeBounds = {}, descending = false): Generator<number> {
    const moved = this.pop
      .movedIndices()
      .filter((i) => !this.pop.isDeleted(i) && this.inBounds(this.pop.timeUs(i), b));
    if (descending) moved.reverse();
    let m = 0;
    for (const i of this.baseByTime(b, descending)) {
      while (m < moved.length && (descending ? this.cmp(moved[m]!, i) > 0 : this.cmp(moved[m]!, i) < 0))
        yield moved[m++]!;
      yield i;
    }
    while (m < moved.length) yield moved[m++]!;
  }

  private buildUidOrder(): Uint32Array {
    const base = this.pop.base;
    const n = base.size;
    const prefix = (i: number) =>
      i < base.originals
        ? Number.parseInt(this.pop.objectId(i).slice(0, 8), 16)
        : idPrefix(this.pop.seed, 'composition', i);
    const order = new Uint32Array(n);
    if (n < 2 ** 21) {
      // prefix (32 bits) * 2^21 + index stays below 2^53: one native numeric sort, no comparator calls.
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = prefix(i) * 2 ** 21 + i;
      keys.sort();
      for (let k = 0; k < n; k++) order[k] = keys[k]! % 2 ** 21;
    } else {
      const p = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        p[i] = prefix(i);
        order[i] = i;
      }
      order.sort((a, b) => p[a]! - p[b]! || a - b);
    }
    // Equal prefixes (only possible with original uids) fall back to the full uuid.
    for (let k = 1; k < n; k++) {
      if (
        prefix(order[k]!) === prefix(order[k - 1]!) &&
        this.pop.objectId(order[k]!) < this.pop.objectId(order[k - 1]!)
      ) {
        const tmp = order[k]!;
        order[k] = order[k - 1]!;
        order[k - 1] = tmp;
      }
    }
    return order;
  }

  /** Live compositions ordered by uuid (= by `c/uid/value`). */
  *byUid(descending = false): Generator<number> {
    this.uidOrder ??= this.buildUidOrder();
    const order = this.uidOrder;
    const pop = this.pop;
    const extras: number[] = [];
    for (let i = pop.base.size; i < pop.size; i++) if (!pop.isDeleted(i)) extras.push(i);
    const key = (i: number) => pop.objectId(i);
    extras.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    if (descending) extras.reverse();
    let m = 0;
    const n = order.length;
    for (let k = 0; k < n; k++) {
      const i = order[descending ? n - 1 - k : k]!;
      if (pop.isDeleted(i)) continue;
      // Ids are only built to merge created compositions in: building one per row was most of a page's cost.
      if (m === extras.length) {
        yield i;
        continue;
      }
      const id = key(i);
      while (m < extras.length && (descending ? key(extras[m]!) > id : key(extras[m]!) < id))
        yield extras[m++]!;
      yield i;
    }
    while (m < extras.length) yield extras[m++]!;
  }

  /** Live compositions of one EHR (commit order of the base, then created ones). */
  ofEhr(e: number): number[] {
    const pop = this.pop;
    const base = pop.base;
    if (!this.ehrOffsets) {
      const offsets = new Uint32Array(pop.ehrCount + 1);
      for (let i = 0; i < base.size; i++) offsets[base.ehr[i]! + 1]!++;
      for (let k = 0; k < pop.ehrCount; k++) offsets[k + 1]! += offsets[k]!;
      const fill = offsets.slice(0, pop.ehrCount);
      const items = new Uint32Array(base.size);
      for (let i = 0; i < base.size; i++) items[fill[base.ehr[i]!]!++] = i;
      this.ehrOffsets = offsets;
      this.ehrItems = items;
    }
    const out: number[] = [];
    if (e < pop.ehrCount) {
      for (let k = this.ehrOffsets[e]!; k < this.ehrOffsets[e + 1]!; k++) {
        const i = this.ehrItems![k]!;
        if (!pop.isDeleted(i)) out.push(i);
      }
    }
    for (let i = base.size; i < pop.size; i++) if (pop.ehrIndex(i) === e && !pop.isDeleted(i)) out.push(i);
    return out;
  }
}
