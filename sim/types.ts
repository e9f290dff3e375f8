/**
 * Public types of the openEHR simulator (`atlas-sim`). Tests, the demo and the benchmark code against
 * these; keep them stable (add, don't break).
 */

export type Flavour = 'ehrbase' | 'better';
export type AuthMode = 'none' | 'basic' | 'bearer';

/** Request kinds counted by `stats()` and addressable by per-endpoint faults. */
export type EndpointKind =
  | 'aql'
  | 'composition'
  | 'ehr'
  | 'template'
  | 'token'
  | 'status'
  | 'control'
  | 'other';

/** HTTP statuses the error-rate fault can inject. */
export type InjectedStatus = 500 | 502 | 503 | 429;

/** Fault settings for one endpoint kind (or, at the top level of `Faults`, for every API endpoint). */
export interface FaultSpec {
  /** Fixed delay added before every response, in ms. */
  latencyMs?: number;
  /** Probability (0..1) per request of answering with that status instead of the real response. */
  errorRates?: Partial<Record<InjectedStatus, number>>;
  /** `Retry-After` seconds sent with injected 429 and 503 responses. Default 1. */
  retryAfterSeconds?: number;
  /** Probability of destroying the socket without any response (client sees ECONNRESET / "other side closed"). */
  resetRate?: number;
  /** Probability of sending the headers (with the full Content-Length) and only half the body, then closing. */
  truncateRate?: number;
  /** Probability of holding the response back for `slowMs` (meant to exceed the client's timeout). */
  slowRate?: number;
  /** Delay of a slow response, ms. Default 30000. */
  slowMs?: number;
}

export interface Faults extends FaultSpec {
  /** Per-endpoint overrides; a field set here wins over the same field at the top level. */
  endpoints?: Partial<Record<EndpointKind, FaultSpec>>;
  /** `ehrbase.rest.aql.max-fetch`: a larger `fetch` → 422. null/undefined = no limit. */
  maxFetch?: number | null;
  /** `ehrbase.rest.aql.max-limit`: a larger AQL `LIMIT` → 422. null/undefined = no limit. */
  maxLimit?: number | null;
  /** Lifetime of access tokens issued from now on, in seconds (refresh tokens live 4× as long). */
  tokenTtlSeconds?: number;
  /**
   * Behave like a server without VERSION support in AQL FROM (EHRbase before 2.0, other CDRs): every query
   * with `CONTAINS VERSION` → 400 `Not implemented: …`, so clients must discover by clinical time.
   */
  rejectVersionQueries?: boolean;
  /**
   * EHRbase issue #1382 (2.6.0, wontfix): a FLAT GET of a composition that does not exist answers 500 with
   * the generic body instead of 404; canonical JSON (`format=JSON`) still answers 404.
   */
  flatMissing500?: boolean;
  /**
   * Serve FLAT as EHRbase does: marshalled from the stored canonical JSON with the web template on every
   * GET (templates without a web template keep their FLAT files), so FLAT and `SELECT c` agree exactly.
   */
  flatFromCanonical?: boolean;
  /** Every FLAT served carries one extra key: a server whose FLAT differs from a local conversion. */
  flatDiffers?: boolean;
}

export interface OidcClient {
  clientId: string;
  /** Absent = public client (password grant only, like Better's `portal`). */
  clientSecret?: string;
}

export interface Credentials {
  /** Basic auth user. Default `ehrbase-user`. */
  username: string;
  /** Basic auth password. Default `SuperSecretPassword`. */
  password: string;
  /** A static bearer token always accepted when auth = bearer. Default `atlas-sim-static-token`. */
  bearerToken: string;
  /** OIDC clients for the token endpoint. Default: `portal` (public) and `atlas` / `atlas-secret` (confidential). */
  oidcClients: OidcClient[];
  /** Users for the OIDC password grant. Default: the Basic user/password. */
  oidcUsers: Array<{ username: string; password: string }>;
}

export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) = random. */
  port?: number;
  /** Seed of the deterministic population. Default 42. */
  seed?: number;
  /** Number of EHRs. Default 100. */
  ehrs?: number;
  /** Total number of generated compositions (wins over compositionsPerEhr). */
  compositions?: number;
  /** Average compositions per EHR when `compositions` is not given. Default 5. */
  compositionsPerEhr?: number;
  /** Restrict the population to these template ids of the manifest (default: all with prototypes). */
  templates?: string[];
  /** Data directory holding manifest.json, or a manifest file path. Default: the shipped demo data. */
  dataDir?: string;
  flavour?: Flavour;
  auth?: AuthMode;
  credentials?: Partial<Credentials>;
  faults?: Faults;
  /** Shorthand for faults.maxFetch. */
  maxFetch?: number | null;
  /** Shorthand for faults.rejectVersionQueries (no VERSION in AQL FROM). */
  rejectVersionQueries?: boolean;
  /** Shorthand for faults.flatMissing500 (EHRbase #1382). */
  flatMissing500?: boolean;
  /** Fraction of compositions whose latest version is > 1. Default 0.1. */
  updateRatio?: number;
  /** Fraction of compositions that are deleted (invisible to AQL, GET → 204). Default 0.02. */
  deleteRatio?: number;
  /** Fraction of compositions whose context/start_time lies days–months before the commit. Default 0.2. */
  backdateRatio?: number;
  /** Fraction of compositions committed in the same contribution (same commit time) as the previous one. Default 0.05. */
  tieRatio?: number;
  /** The sim clock's "now" at start (ISO). Default `2025-01-01T00:00:00Z` (fixed, so runs are reproducible). */
  clockStart?: string;
  /** Whether the sim clock advances with real time after start (default true) or stays put until set. */
  clockTicking?: boolean;
  /** Length of the commit-time range ending at clockStart, in days. Default 365. */
  commitRangeDays?: number;
  /** Access-token lifetime in seconds (same as faults.tokenTtlSeconds). Default 300. */
  tokenTtlSeconds?: number;
  /** Serve the prototypes themselves (their own uids, byte-for-byte bodies) in the population. Default true. */
  includeOriginals?: boolean;
  /**
   * OPT files, or folders of them, whose populations are generated from their web templates (no
   * prototypes needed). They come on top of `dataDir`'s templates only when `dataDir` is also given.
   */
  templateFiles?: string[];
  /** Shape of generated compositions (templates from OPT files or with `"generate": true` in the manifest). */
  generation?: {
    /** Probability that an optional node is present. Default 0.7. */
    optionalRate?: number;
    /** Most instances of a repeated node. Default 3. */
    maxRepeat?: number;
  };
  /** EHRbase's `ehrbase.template.allow-overwrite`: re-uploading a known template id replaces it. Default false. */
  allowTemplateOverwrite?: boolean;
  /** Largest OPT upload accepted, in bytes (larger → 413). Default 16 MiB. */
  maxTemplateBytes?: number;
}

/** One live composition as listed by `control.liveCompositions`. */
export interface LiveComposition {
  ehrId: string;
  /** Version uid `<uuid>::<system>::<n>` of the latest version. */
  uid: string;
  /** Versioned-object id (the uuid). */
  objectId: string;
  templateId: string;
  /** `v/commit_audit/time_committed/value` as AQL returns it. */
  timeCommitted: string;
}

/** Every composition ever created, deleted ones included (`control.allCompositions`). */
export interface CompositionRecord {
  ehrId: string;
  objectId: string;
  templateId: string;
  /** Latest data version (a deleted composition's deletion is version latestVersion + 1). */
  latestVersion: number;
  deleted: boolean;
  /** Whether this is a prototype file served byte-for-byte (its own uid). */
  original: boolean;
}

export interface SimulatorTotals {
  ehrs: number;
  /** Versioned objects ever created (live + deleted). */
  compositions: number;
  /** Latest version not deleted (what AQL sees). */
  live: number;
  deleted: number;
  /** Live compositions per template id. */
  liveByTemplate: Record<string, number>;
}

export type SimulatorStats = Record<EndpointKind, number>;

export interface CommitResult {
  uid: string;
  objectId: string;
  ehrId: string;
  templateId: string;
  timeCommitted: string;
}

export interface SimulatorControl {
  /** Commit a new composition of the template (from its first prototype + FLAT overrides) at the sim clock. */
  commit(templateId: string, ehrId?: string, flatOverrides?: Record<string, unknown>): CommitResult;
  /** New version n+1 with FLAT edits (null value = remove the key); returns the new version uid. */
  update(objectId: string, edits?: Record<string, unknown>): string;
  /** Delete the latest version; returns the uid of the deletion version (n+1). */
  delete(objectId: string): string;
  /**
   * Damage one version's record: AQL answers `text` as its commit time from now on (ordering and filters still
   * use the real time), as a server with a corrupt or oddly formatted audit would.
   */
  garbleCommitTime(uid: string, text: string): void;
  /** Set the sim clock (used for commit times of new versions). */
  setClock(iso: string): void;
  advanceClock(ms: number): void;
  /** Current sim clock as ISO. */
  now(): string;
  /** Merge fault settings (an absent field keeps its value; `endpoints` is merged per kind). */
  setFaults(partial: Faults): void;
  faults(): Faults;
  /** Make every access/refresh token issued so far invalid (the next API call answers 401). */
  revokeTokens(): void;
  stats(): SimulatorStats;
  /**
   * API requests (every kind but control) received per wall-clock second (`second` = Unix seconds), oldest
   * first, since the start or the last `resetStats`: what a rate limit is checked against at the server side.
   */
  requestsBySecond(): Array<{ second: number; requests: number }>;
  resetStats(): void;
  /** Live (latest, non-deleted) compositions of a template, ordered by commit time then uid. */
  liveCompositions(templateId: string): Iterable<LiveComposition>;
  /** All compositions including deleted ones, in index order (for tests that need deletions/updates). */
  allCompositions(): Iterable<CompositionRecord>;
  /** FLAT object of a version uid (or object id = latest), exactly as served; undefined if unknown/deleted. */
  getFlat(uidOrObjectId: string): Record<string, unknown> | undefined;
  getCanonical(uidOrObjectId: string): Record<string, unknown> | undefined;
  totals(): SimulatorTotals;
  /** Template ids served by this instance (manifest order). */
  templateIds(): string[];
  /** EHR id of the EHR with this index (0-based); for tests that need a known EHR. */
  ehrId(index: number): string;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT/ehrbase/rest/openehr/v1` (EHRbase) or `http://127.0.0.1:PORT/ehr/rest/openehr/v1` (Better). */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT/ehrbase/rest/status` (Better flavour: `…/ehr/rest/status`). */
  readonly statusUrl: string;
  /** OIDC token endpoint, `http://127.0.0.1:PORT/auth/realms/portal/protocol/openid-connect/token`. */
  readonly tokenUrl: string;
  /** Root of the out-of-process control API, `http://127.0.0.1:PORT/_sim`. */
  readonly controlUrl: string;
  readonly port: number;
  readonly flavour: Flavour;
  readonly auth: AuthMode;
  readonly credentials: Credentials;
  readonly control: SimulatorControl;
  close(): Promise<void>;
}
