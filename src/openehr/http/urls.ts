/**
 * URL building for the openEHR REST base. Every id is URL-encoded as a path segment: template ids contain
 * spaces and quotes, and a raw one would change the path or break the request.
 */

import { maskUrlCredentials } from '../../config/url-secrets.js';

/** Characters a path segment keeps as they are: unreserved, plus `:` and `@`. */
const PLAIN_SEGMENT = /^[A-Za-z0-9._~:@-]*$/;

/** `:` and `@` are legal in a path segment (RFC 3986 pchar); leaving them readable keeps version uids legible. */
export function encodeSegment(segment: string): string {
  // `.` and `..` (also as %2E) are dot segments: a URL parser, proxy or server normalises them away, so an
  // ehr_id `..` would fetch another resource (with our credentials). No valid id is one; refuse it.
  if (segment === '.' || segment === '..' || segment === '') {
    throw new Error(
      `refusing ${JSON.stringify(segment)} as a URL path segment (a dot or empty segment would address another resource)`,
    );
  }
  // Ids (uuids, version uids) need no encoding: one regex test instead of encoding and two replaces, as
  // this runs for every composition GET.
  if (PLAIN_SEGMENT.test(segment)) return segment;
  return encodeURIComponent(segment).replace(/%3A/gi, ':').replace(/%40/gi, '@');
}

/** Query strings of the few fixed query objects (the vendors' format parameters), built once each. */
const queryStrings = new WeakMap<Record<string, string>, string>();

function queryString(query: Record<string, string> | undefined): string {
  if (!query) return '';
  let qs = queryStrings.get(query);
  if (qs === undefined) {
    qs = Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    queryStrings.set(query, qs);
  }
  return qs;
}

/**
 * `{base}/{seg1}/{seg2}?k=v` with every segment and query value encoded. The query object is taken as
 * fixed: its string is remembered per object (callers pass constants).
 */
export function apiUrl(baseUrl: string, segments: readonly string[], query?: Record<string, string>): string {
  const base = baseUrl.endsWith('/') ? baseUrl.replace(/\/+$/, '') : baseUrl;
  let path = '';
  for (let i = 0; i < segments.length; i++) path += (i === 0 ? '' : '/') + encodeSegment(segments[i]!);
  return `${base}/${path}${queryString(query)}`;
}

/** The origin (scheme, host, port) of the base URL: what error messages name (never credentials in a URL). */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** A URL without user info, for messages; one that does not parse has its user info masked instead. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return maskUrlCredentials(url);
  }
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
