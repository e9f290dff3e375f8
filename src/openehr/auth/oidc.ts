import * as oidc from 'openid-client';
import type { OpenEhrConfig } from '../../config/types.js';
import type { Logger } from '../../context.js';
import { ConfigError } from '../../errors.js';
import { isLoopbackUrl } from '../http/urls.js';
import { isRefreshRefused, tokenRequestError } from './oidc-errors.js';
import type { TokenFetch } from './token-fetch.js';
import type { AuthProvider } from './types.js';

interface Token {
  access: string;
  refresh: string | undefined;
  /** Epoch ms after which the token should no longer be sent; undefined = no expiry given. */
  renewAt: number | undefined;
}

export interface OidcDeps {
  logger: Logger;
  fetch: TokenFetch;
  runSignal: AbortSignal;
  /** Injected for tests; Date.now otherwise. */
  now?: () => number;
}

type OidcSettings = Pick<
  OpenEhrConfig,
  'oidcTokenUrl' | 'clientId' | 'clientSecret' | 'oidcGrant' | 'username' | 'password' | 'timeoutSeconds'
>;

/** Renew this long before expiry: 10 % of the lifetime, at most 30 s. */
export function renewAt(issuedAt: number, expiresInSeconds: number | undefined): number | undefined {
  if (expiresInSeconds === undefined) return undefined;
  const lifetime = expiresInSeconds * 1000;
  return issuedAt + lifetime - Math.min(30_000, lifetime * 0.1);
}

/** Keycloak token URL `…/realms/x/protocol/openid-connect/token` → issuer `…/realms/x`; else the origin. */
export function issuerOf(tokenUrl: string): string {
  const m = /^(.*\/realms\/[^/]+)\/protocol\/openid-connect\/token\/?$/.exec(tokenUrl);
  return m?.[1] ?? new URL(tokenUrl).origin;
}

/**
 * auth_type = "openid" via openid-client against a configured token URL (no discovery: Better tenants give
 * the token URL, and discovery would be one more thing to fail). Grants: password (Better's public
 * `portal` client) or client_credentials (a confidential service client). The access token is renewed
 * shortly before it expires (refresh grant), with a new login when the refresh token is gone or refused;
 * concurrent requests share one renewal.
 */
export function oidcAuth(settings: OidcSettings, deps: OidcDeps): AuthProvider {
  const { oidcTokenUrl: tokenUrl, clientId } = settings;
  if (!tokenUrl || !clientId) {
    throw new ConfigError('openehr.auth_type = "openid" needs openehr.oidc_token_url and openehr.client_id');
  }
  if (settings.oidcGrant === 'password' && (!settings.username || settings.password === undefined)) {
    throw new ConfigError('openehr.oidc_grant = "password" needs openehr.username and openehr.password');
  }
  if (settings.oidcGrant === 'client_credentials' && !settings.clientSecret) {
    throw new ConfigError('openehr.oidc_grant = "client_credentials" needs openehr.client_secret');
  }
  const url = new URL(tokenUrl);
  if (url.protocol === 'http:' && !isLoopbackUrl(tokenUrl)) {
    throw new ConfigError(
      `openehr.oidc_token_url must use https (got ${url.origin}); http is allowed on loopback only`,
    );
  }
  const now = deps.now ?? Date.now;
  const secrets = [settings.password, settings.clientSecret];
  const clientAuth = settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None();
  const config = new oidc.Configuration(
    { issuer: issuerOf(tokenUrl), token_endpoint: tokenUrl },
    clientId,
    undefined,
    clientAuth,
  );
  // Plain http only for loopback endpoints (the simulator, a local Keycloak); checked above.
  if (url.protocol === 'http:') oidc.allowInsecureRequests(config);
  config.timeout = settings.timeoutSeconds;
  config[oidc.customFetch] = deps.fetch as oidc.CustomFetch;

  let token: Token | undefined;
  let pending: Promise<Token> | undefined;

  const toToken = (issuedAt: number, r: oidc.TokenEndpointResponse, previousRefresh?: string): Token => ({
    access: r.access_token,
    // Keycloak rotates refresh tokens; a server that returns none keeps the old one valid.
    refresh: r.refresh_token ?? previousRefresh,
    renewAt: renewAt(issuedAt, r.expires_in),
  });

  const login = async (): Promise<Token> => {
    const issuedAt = now();
    try {
      const response =
        settings.oidcGrant === 'password'
          ? await oidc.genericGrantRequest(config, 'password', {
              username: settings.username ?? '',
              password: settings.password ?? '',
            })
          : await oidc.clientCredentialsGrant(config);
      deps.logger.debug({ tokenUrl, grant: settings.oidcGrant }, 'OIDC login succeeded');
      return toToken(issuedAt, response);
    } catch (err) {
      if (deps.runSignal.aborted) throw deps.runSignal.reason;
      throw tokenRequestError(err, tokenUrl, settings.oidcGrant, secrets);
    }
  };

  const refreshOrLogin = async (refreshToken: string): Promise<Token> => {
    const issuedAt = now();
    try {
      const response = await oidc.refreshTokenGrant(config, refreshToken);
      deps.logger.debug({ tokenUrl }, 'OIDC access token refreshed');
      return toToken(issuedAt, response, refreshToken);
    } catch (err) {
      if (deps.runSignal.aborted) throw deps.runSignal.reason;
      if (!isRefreshRefused(err)) throw tokenRequestError(err, tokenUrl, 'refresh_token', secrets);
      deps.logger.info({ tokenUrl }, 'OIDC refresh token no longer accepted; logging in again');
      return login();
    }
  };

  /** One renewal at a time: every caller waiting for a token shares it. */
  const renewShared = (): Promise<Token> => {
    if (!pending) {
      const refresh = token?.refresh;
      pending = (refresh ? refreshOrLogin(refresh) : login())
        .then((t) => {
          token = t;
          return t;
        })
        .finally(() => {
          pending = undefined;
        });
    }
    return pending;
  };

  const header = (t: Token) => `Bearer ${t.access}`;

  return {
    async authorization() {
      if (token && (token.renewAt === undefined || now() < token.renewAt)) return header(token);
      return header(await renewShared());
    },
    async renew(rejected) {
      // Another request already renewed after the same rejection: use its token.
      if (token && header(token) !== rejected) return true;
      await renewShared();
      return true;
    },
    rejectedMessage: (origin) =>
      `openEHR server ${origin} rejected a freshly issued access token from ${tokenUrl} (HTTP 401); ` +
      'check that the OIDC client and user have access to the openEHR API',
  };
}
