import { describe, expect, it } from 'vitest';
import { versionUnsupported } from '../../../src/openehr/aql/discovery.js';
import { issuerOf, renewAt } from '../../../src/openehr/auth/oidc.js';
import { scrub } from '../../../src/openehr/auth/oidc-errors.js';
import { OpenEhrHttpError } from '../../../src/openehr/http/errors.js';

describe('OIDC helpers', () => {
  it('renews 10 % of the lifetime early, at most 30 s', () => {
    expect(renewAt(1000, 300)).toBe(1000 + 300_000 - 30_000);
    expect(renewAt(1000, 60)).toBe(1000 + 60_000 - 6000);
    expect(renewAt(0, 3600)).toBe(3_600_000 - 30_000);
    expect(renewAt(0, undefined)).toBeUndefined();
  });

  it('derives the Keycloak issuer from the token URL', () => {
    expect(issuerOf('https://sandbox.better.care/auth/realms/portal/protocol/openid-connect/token')).toBe(
      'https://sandbox.better.care/auth/realms/portal',
    );
    expect(issuerOf('https://idp.example.org/oauth2/token')).toBe('https://idp.example.org');
  });

  it('scrubs secrets a server might echo back', () => {
    expect(scrub('bad password hunter22 for user', ['hunter22', undefined])).toBe(
      'bad password *** for user',
    );
    expect(scrub('nothing here', ['ab'])).toBe('nothing here');
  });
});

describe('VERSION support detection', () => {
  const rejected = (status: number, serverMessage: string) =>
    new OpenEhrHttpError('AQL query rejected', { status, serverMessage });

  it('recognises servers that cannot query VERSION', () => {
    expect(versionUnsupported(rejected(400, 'Not implemented: FROM: VERSION is not supported'))).toBe(true);
    expect(versionUnsupported(rejected(400, 'Unknown type VERSION in containment'))).toBe(true);
    expect(versionUnsupported(rejected(400, 'path v/commit_audit/time_committed is invalid'))).toBe(true);
  });

  it('leaves other failures alone', () => {
    expect(versionUnsupported(rejected(400, 'Could not parse AQL query: x'))).toBe(false);
    expect(versionUnsupported(rejected(500, 'Not implemented: VERSION'))).toBe(false);
    expect(versionUnsupported(new Error('Not implemented'))).toBe(false);
  });
});
