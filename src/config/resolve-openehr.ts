import { K } from './keys/index.js';
import type { Rules } from './rules.js';
import type { AtlasConfig, OpenEhrConfig } from './types.js';

const API_SUFFIX = '/rest/openehr/v1';

/** `https://h/ehrbase/` → `https://h/ehrbase/rest/openehr/v1`; a value already ending in the suffix is kept. */
export function normaliseBaseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  if (trimmed.endsWith(API_SUFFIX)) return trimmed;
  if (trimmed.endsWith('/rest/openehr')) return `${trimmed}/v1`;
  return `${trimmed}${API_SUFFIX}`;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function resolveOpenEhr(
  rules: Rules,
  environment: AtlasConfig['environment'],
  needsServer = true,
): OpenEhrConfig {
  const { r } = rules;
  const rawUrl = r.get(K.baseUrl);
  if (needsServer && rawUrl === undefined && !r.isSet(K.baseUrl))
    rules.require(K.baseUrl, '(the openEHR server to export from)');
  const baseUrl = rawUrl === undefined ? '' : normaliseBaseUrl(rawUrl);
  const username = r.get(K.username);
  const authType = r.get(K.authType) ?? (username !== undefined ? 'basic' : 'none');
  const oidcGrant = r.get(K.oidcGrant) ?? (username !== undefined ? 'password' : 'client_credentials');
  checkAuth(rules, authType, oidcGrant);

  const tlsVerify = r.must(K.tlsVerify) && r.must(K.tlsVerifyCertificates);
  if (environment === 'production') {
    for (const key of [K.tlsVerify, K.tlsVerifyCertificates]) {
      if (r.get(key) === false) {
        rules.conflict(key, 'TLS verification cannot be disabled when environment = "production"', 'true');
      }
    }
  }
  const tokenUrl = r.get(K.oidcTokenUrl);
  if (
    authType === 'openid' &&
    tokenUrl?.startsWith('http://') &&
    !LOOPBACK.test(new URL(tokenUrl).hostname)
  ) {
    rules.conflict(K.oidcTokenUrl, 'plain http is accepted only for loopback hosts', 'an https:// URL');
  }
  if (authType !== 'none' && baseUrl.startsWith('http://') && !LOOPBACK.test(new URL(baseUrl).hostname)) {
    rules.issues.warn(`openehr.base_url uses plain http: ${authType} credentials travel unencrypted`);
  }

  const retry = {
    maxRetries: r.must(K.retryMaxRetries),
    initialDelayMs: r.must(K.retryInitialDelayMs),
    maxDelayMs: r.must(K.retryMaxDelayMs),
    backoffMultiplier: r.must(K.retryBackoffMultiplier),
  };
  if (retry.maxDelayMs < retry.initialDelayMs) {
    rules.conflict(
      K.retryMaxDelayMs,
      `smaller than openehr.retry.initial_delay_ms (${retry.initialDelayMs})`,
      `an integer >= ${retry.initialDelayMs}`,
    );
  }

  const start = r.get(K.timeRangeStart);
  const end = r.get(K.timeRangeEnd);
  if (start !== undefined && end !== undefined && Date.parse(end) <= Date.parse(start)) {
    rules.conflict(
      K.timeRangeEnd,
      `not after openehr.query.time_range_start (${start})`,
      `an instant after ${start}`,
    );
  }

  return {
    baseUrl,
    vendor: r.must(K.vendor),
    authType,
    username,
    password: r.get(K.password),
    bearerToken: r.get(K.bearerToken),
    oidcTokenUrl: r.get(K.oidcTokenUrl),
    clientId: r.get(K.clientId),
    clientSecret: r.get(K.clientSecret),
    oidcGrant,
    tlsVerify,
    tlsCaCert: r.get(K.tlsCaCert),
    timeoutSeconds: r.must(K.timeoutSeconds),
    maxCompositionSizeMb: r.must(K.maxCompositionSizeMb),
    retry,
    query: {
      templateIds: [...new Set(r.must(K.templateIds))],
      ehrIds: [...new Set(r.must(K.ehrIds))],
      timeRangeStart: start,
      timeRangeEnd: end,
      batchSize: r.must(K.batchSize),
      parallelEhrs: r.must(K.parallelEhrs),
      fetch: r.must(K.fetch),
      flatCheckInterval: r.must(K.flatCheckInterval),
      maxRequestsPerSecond: r.must(K.maxRequestsPerSecond),
    },
  };
}

function checkAuth(
  rules: Rules,
  authType: OpenEhrConfig['authType'],
  grant: OpenEhrConfig['oidcGrant'],
): void {
  const { r } = rules;
  const needs = (key: typeof K.username, why: string) => {
    if (r.get(key) === undefined && !r.isSet(key)) rules.require(key, why);
  };
  const when = `when openehr.auth_type = "${authType}"`;
  if (authType === 'basic') {
    needs(K.username, when);
    needs(K.password, when);
  }
  if (authType === 'bearer') needs(K.bearerToken, when);
  if (authType === 'openid') {
    needs(K.oidcTokenUrl, when);
    needs(K.clientId, when);
    if (grant === 'password') {
      needs(K.username, `${when} and openehr.oidc_grant = "password"`);
      needs(K.password, `${when} and openehr.oidc_grant = "password"`);
    } else {
      needs(K.clientSecret, `${when} and openehr.oidc_grant = "client_credentials"`);
    }
  }
  const usesUserPassword = authType === 'basic' || (authType === 'openid' && grant === 'password');
  const because = `openehr.auth_type = "${authType}"${authType === 'openid' ? ` with oidc_grant = "${grant}"` : ''}`;
  if (!usesUserPassword) {
    rules.ineffective(K.username, because);
    rules.ineffective(K.password, because);
  }
  if (authType !== 'bearer') rules.ineffective(K.bearerToken, because);
  if (authType !== 'openid') {
    for (const key of [K.oidcTokenUrl, K.clientId, K.clientSecret, K.oidcGrant])
      rules.ineffective(key, because);
  }
}
