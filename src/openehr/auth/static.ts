import type { OpenEhrConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';
import type { AuthProvider } from './types.js';

/** auth_type = "none": no header; a 401 means the server wants credentials. */
export function noAuth(): AuthProvider {
  return {
    authorization: async () => undefined,
    renew: async () => false,
    rejectedMessage: (origin) =>
      `openEHR server ${origin} requires authentication (HTTP 401) but openehr.auth_type is "none"; ` +
      'set auth_type to "basic", "bearer" or "openid" with the matching credentials',
  };
}

/** auth_type = "basic": the same header on every request (EHRbase SECURITY_AUTHTYPE=BASIC). */
export function basicAuth(config: Pick<OpenEhrConfig, 'username' | 'password'>): AuthProvider {
  if (!config.username || config.password === undefined) {
    throw new ConfigError('openehr.auth_type = "basic" needs openehr.username and openehr.password');
  }
  const header = `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`;
  const user = config.username;
  return {
    authorization: async () => header,
    renew: async () => false,
    rejectedMessage: (origin) =>
      `openEHR server ${origin} rejected the basic-auth credentials of user "${user}" (HTTP 401); ` +
      'check openehr.username and openehr.password',
  };
}

/** auth_type = "bearer": a static token obtained elsewhere; it cannot be renewed by us. */
export function bearerAuth(config: Pick<OpenEhrConfig, 'bearerToken'>): AuthProvider {
  if (!config.bearerToken) {
    throw new ConfigError('openehr.auth_type = "bearer" needs openehr.bearer_token');
  }
  const header = `Bearer ${config.bearerToken}`;
  return {
    authorization: async () => header,
    renew: async () => false,
    rejectedMessage: (origin) =>
      `openEHR server ${origin} rejected the configured bearer token (HTTP 401); it may have expired — ` +
      'provide a fresh openehr.bearer_token or use auth_type = "openid"',
  };
}
