import type { EndpointKind } from '../types.js';

export type RouteTarget =
  | 'ehr'
  | 'composition'
  | 'template'
  | 'query'
  | 'status'
  | 'token'
  | 'control'
  | 'none';

export interface Route {
  target: RouteTarget;
  kind: EndpointKind;
  segments: string[];
}

export interface Prefixes {
  api: string;
  status: string;
  realm: string;
  control: string;
}

export const EHRBASE_PREFIXES: Prefixes = {
  api: '/ehrbase/rest/openehr/v1',
  status: '/ehrbase/rest/status',
  realm: '/auth/realms/portal',
  control: '/_sim',
};

export const BETTER_PREFIXES: Prefixes = {
  api: '/ehr/rest/openehr/v1',
  status: '/ehr/rest/status',
  realm: '/auth/realms/portal',
  control: '/_sim',
};

function segmentsAfter(path: string, prefix: string): string[] | undefined {
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
  return path
    .slice(prefix.length)
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Map a request path to its handler and the endpoint kind counted in stats and used by faults. */
export function route(path: string, p: Prefixes): Route {
  const api = segmentsAfter(path, p.api);
  if (api) {
    const [first, , third] = api;
    if (first === 'ehr' && (third === 'composition' || third === 'versioned_composition')) {
      return { target: 'composition', kind: 'composition', segments: api };
    }
    if (first === 'ehr' && api.length <= 2) return { target: 'ehr', kind: 'ehr', segments: api };
    if (first === 'definition' && api[1] === 'template')
      return { target: 'template', kind: 'template', segments: api };
    if (first === 'query') return { target: 'query', kind: 'aql', segments: api };
    return { target: 'none', kind: 'other', segments: api };
  }
  if (path === p.status) return { target: 'status', kind: 'status', segments: [] };
  const realm = segmentsAfter(path, p.realm);
  if (
    realm &&
    (realm.join('/') === 'protocol/openid-connect/token' ||
      realm.join('/') === '.well-known/openid-configuration')
  ) {
    return { target: 'token', kind: 'token', segments: realm };
  }
  const control = segmentsAfter(path, p.control);
  if (control) return { target: 'control', kind: 'control', segments: control };
  return { target: 'none', kind: 'other', segments: [] };
}
