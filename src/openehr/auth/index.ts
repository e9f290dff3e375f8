import type { OpenEhrConfig } from '../../config/types.js';
import type { Logger } from '../../context.js';
import { oidcAuth } from './oidc.js';
import { basicAuth, bearerAuth, noAuth } from './static.js';
import type { TokenFetch } from './token-fetch.js';
import type { AuthProvider } from './types.js';

export interface AuthDeps {
  logger: Logger;
  runSignal: AbortSignal;
  /** Only built (and used) for auth_type = "openid". */
  tokenFetch: () => TokenFetch;
}

export function createAuth(config: OpenEhrConfig, deps: AuthDeps): AuthProvider {
  switch (config.authType) {
    case 'none':
      return noAuth();
    case 'basic':
      return basicAuth(config);
    case 'bearer':
      return bearerAuth(config);
    case 'openid':
      return oidcAuth(config, { logger: deps.logger, fetch: deps.tokenFetch(), runSignal: deps.runSignal });
  }
}
