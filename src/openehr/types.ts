/**
 * The openEHR client as the export engine sees it. Vendor differences (auth, FLAT media type, result-set
 * quirks, AQL dialect) stay behind this interface, in openehr/vendors/*.
 */

/** One composition version seen by change discovery. */
export interface ChangeRecord {
  ehrId: string;
  /** Version uid as the server gives it: `<uuid>::<system id>::<version>`. */
  uid: string;
  /** Versioned-object id: the uuid before the first `::`; stable across versions (our row `id`). */
  objectId: string;
  version: number;
  templateId: string;
  /**
   * ISO-8601 instant as returned by the server: the commit time in `commit_time` discovery,
   * the clinical `context/start_time` in the `clinical_time` fallback.
   */
  time: string;
  /**
   * Set when the server listed this version with a commit time that is absent (commit-time discovery) or not
   * an ISO-8601 instant (either mode): the text it sent. `time` then holds the discovery position the record
   * was met at (the last good time before it), so the cursor never moves on a time nobody can read.
   */
  unreadableTime?: string;
  /**
   * `fetch = "aql"`: the version's canonical JSON, read with the discovery page. Dropped as soon as the page
   * is converted to FLAT (so neither the fetch pool nor the batches hold whole compositions).
   */
  canonical?: Record<string, unknown>;
}

export type DiscoveryMode = 'commit_time' | 'clinical_time';

export interface DiscoverOptions {
  templateId: string;
  /** Inclusive lower bound on `time` (already includes the overlap window). Omitted = from the beginning. */
  since?: string;
  /** Exclusive upper bound on `time`. */
  until?: string;
  /** Restrict to these EHRs (an AQL condition, not a loop). */
  ehrIds?: string[];
  /** Rows per AQL page; shrunk automatically to the server's max-fetch. */
  pageSize: number;
  signal?: AbortSignal;
  /**
   * Asked before each page: whether its rows also carry the whole composition (`SELECT c`, `fetch = "aql"`).
   * A function, so a template that falls back to `composition` stops paying for the content mid-scan.
   */
  withComposition?: () => boolean;
  /**
   * With whole compositions: pages are sized (100 rows first, then up to `pageSize`, never below 100) so
   * that a page's body stays about within this many bytes, judged by the previous page's rows. A page of a thousand 45 KB compositions is
   * 45 MB of JSON and several times that once parsed.
   */
  pageBytes?: number;
  /**
   * Called once the scan has read its last page (never after an error or an abort): the discovery mode it
   * ran in and how many rows it had to skip (no commit/start time, no EHR id or version uid).
   */
  onComplete?: (scan: CompletedScan) => void;
}

export interface CompletedScan {
  mode: DiscoveryMode;
  skippedRows: number;
}

export type FetchResult =
  | { status: 'ok'; uid: string; flat: Record<string, unknown>; bytes: number }
  /** 204: the version is a deletion. */
  | { status: 'deleted'; uid: string }
  /** 404: unknown EHR/composition/version. */
  | { status: 'missing'; uid: string };

/** Canonical JSON → FLAT, locally (throws on a composition the codec cannot convert). */
export interface FlatConverter {
  /** SHA-256 of the web template's JSON, the key it is cached by. */
  webTemplateHash: string;
  toFlat(canonical: Record<string, unknown>): Record<string, unknown>;
}

export interface ClientStats {
  requests: number;
  retries: number;
  bytesReceived: number;
  /** Requests per logical kind: `aql`, `composition`, `template`, `token`, `other`. */
  byKind: Record<string, number>;
}

/** What the request governor did over the client's life (one run): printed in the run's summary. */
export interface GovernorSummary {
  /** `openehr.query.max_requests_per_second`; null = no limit. */
  maxRequestsPerSecond: number | null;
  /** Fetch concurrency: the ceiling (`parallel_ehrs`), the lowest it fell to, and where it ended. */
  concurrency: { max: number; min: number; final: number };
  /** Times concurrency was cut: the server slowed down (latency) or said it is overloaded (429/503). */
  decreases: { latency: number; overload: number };
  /** Times concurrency grew back by one after a healthy round. */
  increases: number;
  /** Times a Retry-After paused every request of the client, and how long they paused in all. */
  pauses: number;
  pausedMs: number;
}

export interface OpenEhrClient {
  /**
   * Pages of change records for one template, ordered by (time, uid), without duplicates, following the
   * commit time (`VERSION v … v/commit_audit/time_committed`) or, where the server cannot query VERSION,
   * the clinical start time (the client logs a warning once and reports it via `discoveryMode`).
   * Paging is keyset-based (time >= last seen) so concurrent commits never shift pages.
   */
  discoverChanges(opts: DiscoverOptions): AsyncIterable<ChangeRecord[]>;
  /** Which discovery the server supports; known after the first discoverChanges page. */
  discoveryMode(): DiscoveryMode;
  /** The FLAT JSON of one version (or the latest, given a versioned-object id). */
  fetchFlat(ehrId: string, uid: string, signal?: AbortSignal): Promise<FetchResult>;
  /** All live (latest, non-deleted) compositions of a template: for reconcile and verify. */
  listLive(
    templateId: string,
    opts?: { pageSize?: number; signal?: AbortSignal },
  ): AsyncIterable<Array<{ ehrId: string; uid: string; objectId: string }>>;
  countLive(templateId: string, signal?: AbortSignal): Promise<number>;
  listTemplates(signal?: AbortSignal): Promise<Array<{ templateId: string }>>;
  /**
   * `fetch = "aql"`: the converter canonical JSON → FLAT for one template, driven by the server's web
   * template (fetched by this call; compiled once per content hash). Throws when there is no web template.
   */
  flatConverter(templateId: string, signal?: AbortSignal): Promise<FlatConverter>;
  /** The web template JSON (`Accept: application/openehr.wt+json`). */
  getWebTemplate(templateId: string, signal?: AbortSignal): Promise<unknown>;
  /** A cheap authenticated round trip; throws AuthError / ConnectionError. */
  ping(signal?: AbortSignal): Promise<{ serverVersion?: string }>;
  stats(): ClientStats;
  /** The request governor's decisions so far (see GovernorSummary). */
  governor(): GovernorSummary;
  close(): Promise<void>;
}
