import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthMode, Credentials } from '../types.js';
import { errorReply, type Reply } from './reply.js';
import type { TokenRegistry } from './tokens.js';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parse `Authorization: Basic …` into user and password. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Authentication of API requests: none, HTTP Basic (EHRbase `security.authType: BASIC`) or Bearer
 * (static token or one issued by the OIDC endpoint and not expired/revoked). Returns the 401 reply or
 * undefined when the request may proceed.
 */
export function checkAuth(
  mode: AuthMode,
  creds: Credentials,
  tokens: TokenRegistry,
  headers: IncomingHttpHeaders,
): Reply | undefined {
  if (mode === 'none') return undefined;
  const header = headers.authorization;
  if (mode === 'basic') {
    const basic = parseBasic(header);
    if (basic && same(basic.user, creds.username) && same(basic.password, creds.password)) return undefined;
    return errorReply(401, 'Full authentication is required to access this resource', {
      'www-authenticate': 'Basic realm="Realm"',
    });
  }
  const bearer = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
  if (bearer && (same(bearer, creds.bearerToken) || tokens.isValidAccess(bearer))) return undefined;
  return errorReply(
    401,
    bearer ? 'Jwt expired or invalid' : 'Full authentication is required to access this resource',
    {
      'www-authenticate': bearer
        ? 'Bearer error="invalid_token", error_description="The access token expired or is invalid"'
        : 'Bearer',
    },
  );
}
