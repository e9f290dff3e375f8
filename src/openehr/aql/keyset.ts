import { instantNanos } from './instant.js';

export interface KeyedRow {
  uid: string;
  /** Undefined when the server returned null (a composition without context/start_time). */
  time: string | undefined;
}

export interface PageVerdict<R> {
  /** Rows not seen before, in server order. */
  fresh: R[];
  /** Rows skipped because their time was null or unparseable. */
  untimed: number;
  done: boolean;
}

/**
 * Keyset paging over (time, uid) for discovery. Each next page asks again from the last row's time
 * (`>= $since`, offset 0) and drops what it has seen, so commits and updates landing between pages never
 * shift a page and nothing is skipped. Rows sharing the cursor's instant are remembered by uid (a set as
 * large as one tie), so a uid order that differs between server and client cannot lose a row. When a whole
 * page shares the `since` instant (a tie larger than a page), the next page moves by offset within that
 * instant — the only place offsets are used; a composition of that tie updated during the run can then
 * shift a row past us, which the next run's overlap window picks up again.
 */
export class Keyset {
  private sinceText: string | undefined;
  private sinceNanos: bigint | undefined;
  private pageOffset = 0;
  private current: bigint | undefined;
  private readonly seen = new Set<string>();

  constructor(since: string | undefined) {
    this.sinceText = since;
    this.sinceNanos = since === undefined ? undefined : requireInstant(since, 'since');
  }

  /** The `$since` to send for the next page (undefined: no lower bound). */
  since(): string | undefined {
    return this.sinceText;
  }

  offset(): number {
    return this.pageOffset;
  }

  /** Judges one page; `fetch` is the page size actually requested (a shorter page is the last). */
  accept<R extends KeyedRow>(rows: readonly R[], fetch: number | undefined): PageVerdict<R> {
    const fresh: R[] = [];
    let untimed = 0;
    for (const row of rows) {
      const t = row.time === undefined ? undefined : instantNanos(row.time);
      if (t === undefined) {
        untimed++;
        continue;
      }
      if (this.isNew(t, row.uid)) fresh.push(row);
    }
    const done = fetch === undefined || rows.length < fetch;
    if (!done) this.advance(rows[rows.length - 1], rows.length);
    return { fresh, untimed, done };
  }

  private isNew(t: bigint, uid: string): boolean {
    if (this.current !== undefined && t < this.current) return false;
    if (this.current === undefined || t > this.current) {
      this.current = t;
      this.seen.clear();
    }
    if (this.seen.has(uid)) return false;
    this.seen.add(uid);
    return true;
  }

  private advance(last: KeyedRow | undefined, pageLength: number): void {
    const lastNanos = last?.time === undefined ? undefined : instantNanos(last.time);
    if (lastNanos === undefined || lastNanos === this.sinceNanos) {
      // A page entirely inside one instant (or the null-time tail): step over it by offset.
      this.pageOffset += pageLength;
      return;
    }
    this.sinceText = last?.time;
    this.sinceNanos = lastNanos;
    this.pageOffset = 0;
  }
}

function requireInstant(value: string, what: string): bigint {
  const n = instantNanos(value);
  if (n === undefined) throw new Error(`discovery ${what} "${value}" is not an ISO-8601 date-time`);
  return n;
}
