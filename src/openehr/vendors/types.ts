/**
 * What differs between openEHR servers, kept to one small object per vendor (openehr-rest.md §3.2, §9).
 * Result-set quirks (Better: no `rows` when empty, relative column paths) need no hook: the parser is
 * tolerant for everyone.
 */
export interface RequestShape {
  query?: Record<string, string>;
  accept: string;
}

export interface Vendor {
  readonly name: 'ehrbase' | 'better';
  /** How to ask for one composition in FLAT. */
  readonly flat: RequestShape;
  /** How to ask for the canonical JSON: used to tell "missing" from "broken" after a 500 on a FLAT GET. */
  readonly canonical: RequestShape;
  /** A status endpoint that names the server version, if the vendor has one. */
  statusUrl(baseUrl: string): string | undefined;
  /** Reads the server version from the status body. */
  serverVersion(status: unknown): string | undefined;
}
