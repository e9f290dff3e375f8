import {
  booleanType,
  enumType,
  httpUrlType,
  integerType,
  numberType,
  pathType,
  stringType,
} from '../value-types.js';
import { defineKey } from './define.js';

const OPENID = {
  'openehr.auth_type': 'openid',
  'openehr.oidc_token_url': 'https://login.example.org/token',
  'openehr.client_id': 'atlas',
  'openehr.client_secret': 'example-secret',
};

/** [openehr] and [openehr.retry]. */
export const OPENEHR_KEYS = {
  baseUrl: defineKey({
    key: 'openehr.base_url',
    type: httpUrlType(),
    defaultText: '(required)',
    description:
      'The openEHR server, with or without `/rest/openehr/v1` (appended when missing; a trailing slash is dropped).',
    example: 'https://cdr.example.org/ehrbase/',
    exampleResolved: 'https://cdr.example.org/ehrbase/rest/openehr/v1',
    read: (c) => c.openehr.baseUrl,
  }),
  vendor: defineKey({
    key: 'openehr.vendor',
    aliases: ['openehr.vendor_type'],
    env: ['ATLAS_OPENEHR_VENDOR', 'ATLAS_OPENEHR_VENDOR_TYPE'],
    type: enumType(['ehrbase', 'better']),
    default: 'ehrbase',
    description:
      'Server flavour. `vendor_type` (the key the original actually used) means the same; if both are set ' +
      'they must agree.',
    example: 'better',
    read: (c) => c.openehr.vendor,
  }),
  authType: defineKey({
    key: 'openehr.auth_type',
    type: enumType(['none', 'basic', 'bearer', 'openid']),
    defaultText: '"basic" when username is set, else "none"',
    description:
      '`basic` needs username and password; `bearer` needs bearer_token; `openid` needs oidc_token_url, ' +
      'client_id and, per oidc_grant, username+password or client_secret.',
    example: 'bearer',
    exampleRequires: { 'openehr.bearer_token': 'example-token' },
    read: (c) => c.openehr.authType,
  }),
  username: defineKey({
    key: 'openehr.username',
    type: stringType(),
    description: 'User for basic auth or the OIDC password grant.',
    example: 'atlas',
    exampleRequires: { 'openehr.password': 'example-password' },
    read: (c) => c.openehr.username,
  }),
  password: defineKey({
    key: 'openehr.password',
    type: stringType(),
    secret: true,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shows the ${VAR} placeholder syntax to users
    description: 'Password for basic auth or the OIDC password grant. Prefer `${ATLAS_OPENEHR_PASSWORD}`.',
    example: 'example-password',
    exampleRequires: { 'openehr.username': 'atlas' },
    read: (c) => c.openehr.password,
  }),
  bearerToken: defineKey({
    key: 'openehr.bearer_token',
    type: stringType(),
    secret: true,
    description: 'Static token sent as `Authorization: Bearer` (auth_type = "bearer").',
    example: 'example-token',
    exampleRequires: { 'openehr.auth_type': 'bearer' },
    read: (c) => c.openehr.bearerToken,
  }),
  oidcTokenUrl: defineKey({
    key: 'openehr.oidc_token_url',
    type: httpUrlType(),
    description: 'OpenID Connect token endpoint (auth_type = "openid", e.g. Better).',
    example: 'https://login.example.org/token',
    exampleRequires: OPENID,
    read: (c) => c.openehr.oidcTokenUrl,
  }),
  clientId: defineKey({
    key: 'openehr.client_id',
    type: stringType(),
    description: 'OpenID Connect client id.',
    example: 'atlas',
    exampleRequires: OPENID,
    read: (c) => c.openehr.clientId,
  }),
  clientSecret: defineKey({
    key: 'openehr.client_secret',
    type: stringType(),
    secret: true,
    description: 'OpenID Connect client secret (client_credentials grant, or confidential clients).',
    example: 'example-secret',
    exampleRequires: OPENID,
    read: (c) => c.openehr.clientSecret,
  }),
  oidcGrant: defineKey({
    key: 'openehr.oidc_grant',
    type: enumType(['password', 'client_credentials']),
    defaultText: '"password" when username is set, else "client_credentials"',
    description: 'OpenID Connect grant used to obtain tokens.',
    example: 'client_credentials',
    exampleRequires: { ...OPENID, 'openehr.username': 'atlas', 'openehr.password': 'example-password' },
    read: (c) => c.openehr.oidcGrant,
  }),
  tlsVerify: defineKey({
    key: 'openehr.tls_verify',
    type: booleanType(),
    default: true,
    description: 'Verify the server’s TLS certificate. false is refused when environment = "production".',
    example: false,
    read: (c) => c.openehr.tlsVerify,
  }),
  tlsVerifyCertificates: defineKey({
    key: 'openehr.tls_verify_certificates',
    type: booleanType(),
    default: true,
    description: 'The original’s second name for tls_verify; either one set to false disables verification.',
    example: false,
    read: (c) => c.openehr.tlsVerify,
  }),
  tlsCaCert: defineKey({
    key: 'openehr.tls_ca_cert',
    type: pathType('existing-file'),
    description: 'PEM file with additional CA certificates to trust (private CAs).',
    example: 'package.json',
    read: (c) => c.openehr.tlsCaCert,
  }),
  timeoutSeconds: defineKey({
    key: 'openehr.timeout_seconds',
    type: integerType(1),
    default: 60,
    description:
      'Timeout of one HTTP request to the openEHR server: the whole exchange (connecting, headers and the ' +
      'complete body), so a server trickling its answer cannot hang the export.',
    example: 10,
    read: (c) => c.openehr.timeoutSeconds,
  }),
  maxCompositionSizeMb: defineKey({
    key: 'openehr.max_composition_size_mb',
    type: integerType(1, 200),
    default: 64,
    description:
      'Largest composition (FLAT response body, in MiB) Atlas accepts; a larger one is recorded as that ' +
      "composition's failure instead of being read into memory. Well below PostgreSQL's 256 MB jsonb limit.",
    example: 16,
    read: (c) => c.openehr.maxCompositionSizeMb,
  }),
  retryMaxRetries: defineKey({
    key: 'openehr.retry.max_retries',
    type: integerType(0, 20),
    default: 3,
    description:
      'Retries of a failed request after the first attempt (the original counted total attempts, so its ' +
      '3 meant 2 retries). Only transient failures (network, 429, 5xx) are retried.',
    example: 5,
    read: (c) => c.openehr.retry.maxRetries,
  }),
  retryInitialDelayMs: defineKey({
    key: 'openehr.retry.initial_delay_ms',
    type: integerType(0, 600_000),
    default: 1000,
    description:
      'Delay before the first retry (before the third for a 500, 502, 504, reset or cut body, whose first two retries wait at most 100 and 300 ms); a server’s Retry-After wins when longer.',
    example: 200,
    read: (c) => c.openehr.retry.initialDelayMs,
  }),
  retryMaxDelayMs: defineKey({
    key: 'openehr.retry.max_delay_ms',
    type: integerType(0, 3_600_000),
    default: 30000,
    description: 'Upper bound of any retry delay; must be >= initial_delay_ms.',
    example: 5000,
    read: (c) => c.openehr.retry.maxDelayMs,
  }),
  retryBackoffMultiplier: defineKey({
    key: 'openehr.retry.backoff_multiplier',
    type: numberType(1),
    default: 2,
    description: 'Each retry waits this many times longer than the previous one.',
    example: 1.5,
    read: (c) => c.openehr.retry.backoffMultiplier,
  }),
} as const;
