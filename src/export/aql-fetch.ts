import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../context.js';
import { AtlasError } from '../errors.js';
import type { ChangeRecord, FetchResult, FlatConverter, OpenEhrClient } from '../openehr/types.js';

/** How one template's content was read in a `fetch = "aql"` run (summary and run record). */
export interface AqlFetchReport {
  /** `composition` once the template fell back (or could not start) for the rest of the run. */
  mode: 'aql' | 'composition';
  /** Compositions stored from the local conversion. */
  converted: number;
  /** Compositions also fetched as FLAT from the server to compare. */
  checked: number;
  /** Why the template switched to `composition`: template, composition and FLAT key, never values. */
  fallback?: string;
}

/** The first FLAT key whose value differs between the two (undefined: equal). */
export function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(a)) if (!isDeepStrictEqual(a[key], b[key])) return key;
  for (const key of Object.keys(b)) if (!(key in a)) return key;
  return undefined;
}

/**
 * Byte budget of one AQL page of whole compositions: a page of `batch_size` rows is asked for, and the next
 * pages shrink (never below 100 rows) when the rows are large: 1,000-row pages of the 45 KB corona
 * compositions are 45 MB of JSON and several times that once parsed. 8 MB keeps pages of 45 KB compositions
 * near 190 rows (about 0.005 requests per composition).
 */
export const AQL_PAGE_BYTES = 8 * 1024 * 1024;

type Local = { flat: Record<string, unknown> } | { error: string };

/**
 * `fetch = "aql"` for one template: the discovery pages carry each composition's canonical JSON, converted
 * to FLAT here with the server's web template instead of one GET per composition. A page is converted as
 * soon as it arrives and its canonical JSON dropped (a FLAT is a fraction of its size): otherwise two pages
 * of whole compositions (the one being fetched and the one read ahead) would be held at once. The server's
 * FLAT stays the reference: compositions are compared with it one at a time until one matched, then one in
 * `interval`. A mismatch, or a composition the codec cannot convert, switches the template to `composition`
 * for the rest of the run (that composition is stored from the server's FLAT). Conversions are synchronous,
 * so the counters need no locking.
 */
export class TemplateAqlFetch {
  private converter: FlatConverter | undefined;
  private fallbackReason: string | undefined;
  private seen = 0;
  private matched = false;
  private converted = 0;
  private checked = 0;
  /** The check in flight while no composition has matched yet. */
  private pendingCheck: Promise<void> | undefined;
  /** Local conversions of records not yet fetched (weak: a record dropped by an abort takes its FLAT along). */
  private readonly local = new WeakMap<ChangeRecord, Local>();

  constructor(
    private readonly client: OpenEhrClient,
    private readonly logger: Logger,
    private readonly templateId: string,
    private readonly interval: number,
  ) {}

  /** Fetches the web template (once per template and run); without one the template runs in `composition`. */
  async start(signal: AbortSignal): Promise<void> {
    try {
      this.converter = await this.client.flatConverter(this.templateId, signal);
    } catch (err) {
      if (signal.aborted || err instanceof AtlasError) throw err;
      this.fallBack(`no usable web template (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  /** Whether discovery pages should still carry the compositions. */
  get active(): boolean {
    return this.converter !== undefined && this.fallbackReason === undefined;
  }

  report(): AqlFetchReport {
    return {
      mode: this.active ? 'aql' : 'composition',
      converted: this.converted,
      checked: this.checked,
      ...(this.fallbackReason ? { fallback: this.fallbackReason } : {}),
    };
  }

  /** Converts the page's compositions to FLAT and drops their canonical JSON (called as the page arrives). */
  preparePage(records: readonly ChangeRecord[], needed: (record: ChangeRecord) => boolean): void {
    for (const record of records) {
      const canonical = record.canonical;
      record.canonical = undefined;
      if (!canonical || !this.converter || !this.active || !needed(record)) continue;
      try {
        this.local.set(record, { flat: this.converter.toFlat(canonical) });
      } catch (err) {
        this.local.set(record, { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** The record's FLAT from its canonical JSON (or the server's, when checked); undefined: GET it. */
  async fetch(record: ChangeRecord, signal: AbortSignal): Promise<FetchResult | undefined> {
    const local = this.local.get(record);
    this.local.delete(record);
    if (!local || !this.active) return undefined;
    const n = this.seen++;
    if ('error' in local) {
      this.fallBack(`composition ${record.uid} could not be converted locally (${local.error})`);
      return undefined;
    }
    const flat = local.flat;
    // Until one composition matched, one check at a time: the pool starts many fetches at once, and they
    // wait for the verdict instead of all asking the server.
    while (!this.matched && this.pendingCheck) await this.pendingCheck;
    if (!this.active) return undefined;
    if (!this.matched) {
      const verdict = this.compare(record, flat, signal);
      const settled = verdict.then(
        () => undefined,
        () => undefined,
      );
      this.pendingCheck = settled;
      void settled.then(() => {
        if (this.pendingCheck === settled) this.pendingCheck = undefined;
      });
      return verdict;
    }
    if (this.interval > 0 && n % this.interval === 0) return this.compare(record, flat, signal);
    this.converted++;
    return { status: 'ok', uid: record.uid, flat, bytes: 0 };
  }

  /** Fetches the server's FLAT of the record and compares; a difference switches the template. */
  private async compare(
    record: ChangeRecord,
    flat: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<FetchResult> {
    const served = await this.client.fetchFlat(record.ehrId, record.uid, signal);
    this.checked++;
    if (served.status !== 'ok') return served;
    const key = firstDifference(flat, served.flat);
    if (key === undefined) this.matched = true;
    else this.fallBack(`composition ${record.uid}: the local FLAT differs from the server's at key ${key}`);
    return served;
  }

  private fallBack(reason: string): void {
    if (this.fallbackReason !== undefined) return;
    this.fallbackReason = reason;
    this.logger.warn(
      { templateId: this.templateId, reason },
      'fetch = "aql": switching this template to composition fetch for the rest of the run',
    );
  }
}
