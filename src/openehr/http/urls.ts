/**
 * URL building for the openEHR REST base. Every id is URL-encoded as a path segment: template ids contain
 * spaces and quotes, and the original Atlas concatenated them raw (B22).
 */

/** `:` and `@` are legal in a path segment (RFC 3986 pchar); leaving them readable keeps version uids legible. */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%3A/gi, ':').replace(/%40/gi, '@');
}

/** `{base}/{seg1}/{seg2}?k=v` with every segment and query value encoded. */
export function apiUrl(baseUrl: string, segments: readonly string[], query?: Record<string, string>): string {
  const base = baseUrl.replace(/\/+$/, '');
  const path = segments.map(encodeSegment).join('/');
  const qs = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
  return `${base}/${path}${qs}`;
}

/** The origin (scheme, host, port) of the base URL: what error messages name (never credentials in a URL). */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** A URL without user info, for messages. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

const OPENEHR_SUFFIX = /\/rest\/openehr\/v1\/?$/;

/**
 * EHRbase's status endpoint beside the openEHR API: `…/ehrbase/rest/openehr/v1` → `…/ehrbase/rest/status`.
 * Undefined when the base does not have the standard layout.
 */
export function ehrbaseStatusUrl(baseUrl: string): string | undefined {
  if (!OPENEHR_SUFFIX.test(baseUrl)) return undefined;
  return baseUrl.replace(OPENEHR_SUFFIX, '/rest/status');
}

/** True for http(s) URLs whose host is a loopback address (tests, local demo). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
