import { describe, expect, it } from 'vitest';
import {
  apiUrl,
  ehrbaseStatusUrl,
  encodeSegment,
  isLoopbackUrl,
  originOf,
} from '../../../src/openehr/http/urls.js';

describe('openEHR URL building', () => {
  it('encodes every path segment, keeping version-uid colons readable', () => {
    expect(encodeSegment('IDCR -  Adverse Reaction List.v1')).toBe(
      'IDCR%20-%20%20Adverse%20Reaction%20List.v1',
    );
    expect(encodeSegment('a/b?c#d')).toBe('a%2Fb%3Fc%23d');
    expect(encodeSegment('8849182c-82ad::local.ehrbase.org::2')).toBe('8849182c-82ad::local.ehrbase.org::2');
  });

  it('joins base, segments and an encoded query without doubling slashes', () => {
    expect(
      apiUrl('http://h:8080/ehrbase/rest/openehr/v1/', ['ehr', 'e 1', 'composition', 'u::s::1'], {
        format: 'FLAT',
      }),
    ).toBe('http://h:8080/ehrbase/rest/openehr/v1/ehr/e%201/composition/u::s::1?format=FLAT');
    expect(apiUrl('http://h/ehr/rest/openehr/v1', ['query', 'aql'])).toBe(
      'http://h/ehr/rest/openehr/v1/query/aql',
    );
  });

  it('derives EHRbase status URL only from the standard layout', () => {
    expect(ehrbaseStatusUrl('https://x.org/ehrbase/rest/openehr/v1')).toBe(
      'https://x.org/ehrbase/rest/status',
    );
    expect(ehrbaseStatusUrl('https://x.org/custom/api')).toBeUndefined();
  });

  it('names origins without credentials and recognises loopback hosts', () => {
    expect(originOf('https://user:pw@cdr.example.org:8443/ehr/rest/openehr/v1')).toBe(
      'https://cdr.example.org:8443',
    );
    expect(isLoopbackUrl('http://127.0.0.1:9/x')).toBe(true);
    expect(isLoopbackUrl('http://localhost/x')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:80/x')).toBe(true);
    expect(isLoopbackUrl('http://10.0.0.1/x')).toBe(false);
    expect(isLoopbackUrl('http://127.example.org/x')).toBe(false);
  });
  it('refuses dot and empty segments instead of letting them be normalised away (issue 16, item 7)', () => {
    expect(() => encodeSegment('..')).toThrow(/refusing "\.\." as a URL path segment/);
    expect(() => encodeSegment('.')).toThrow(/refusing "\." as a URL path segment/);
    expect(() => encodeSegment('')).toThrow(/refusing "" as a URL path segment/);
    expect(encodeSegment('...')).toBe('...');
    expect(encodeSegment('a..b')).toBe('a..b');
  });
});
