import { describe, expect, it } from 'vitest';
import { selectRepresentation } from '../../../sim/http/representation.js';

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    return (e as { status: number }).status;
  }
  return 200;
}

describe('composition representation (openehr-rest.md §3.2)', () => {
  it('follows the EHRbase Accept × format matrix', () => {
    expect(selectRepresentation('ehrbase', undefined, null)).toBe('canonical');
    expect(selectRepresentation('ehrbase', '*/*', 'JSON')).toBe('canonical');
    expect(selectRepresentation('ehrbase', 'application/json', 'FLAT')).toBe('flat');
    expect(selectRepresentation('ehrbase', 'application/json', 'STRUCTURED')).toBe('structured');
    expect(selectRepresentation('ehrbase', 'application/openehr.wt.flat.schema+json', null)).toBe('flat');
    expect(selectRepresentation('ehrbase', 'application/xml', null)).toBe('xml');
    expect(selectRepresentation('ehrbase', 'application/xml;q=0.5, application/json', null)).toBe(
      'canonical',
    );
  });

  it('answers EHRbase errors for bad formats and media types', () => {
    expect(status(() => selectRepresentation('ehrbase', 'application/xml', 'FLAT'))).toBe(406);
    expect(status(() => selectRepresentation('ehrbase', 'application/json', 'RAW'))).toBe(400);
    expect(status(() => selectRepresentation('ehrbase', 'application/json', 'flat'))).toBe(406);
    // The spec media type does not select FLAT on EHRbase.
    expect(status(() => selectRepresentation('ehrbase', 'application/openehr.wt.flat+json', null))).toBe(406);
  });

  it('better: FLAT only through application/openehr.wt.flat+json; format is ignored', () => {
    expect(selectRepresentation('better', 'application/openehr.wt.flat+json', null)).toBe('flat');
    expect(selectRepresentation('better', 'application/json', 'FLAT')).toBe('canonical');
    expect(
      status(() => selectRepresentation('better', 'application/openehr.wt.flat.schema+json', null)),
    ).toBe(406);
  });
});
