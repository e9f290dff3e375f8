import { describe, expect, it } from 'vitest';
import { parseUid } from '../../../src/openehr/uid.js';

describe('version uids', () => {
  it('splits object id and version', () => {
    expect(parseUid('8849182c-82ad-4088-a07f-48ead4180515::local.ehrbase.org::12')).toEqual({
      objectId: '8849182c-82ad-4088-a07f-48ead4180515',
      version: 12,
    });
  });
  it('keeps a bare object id without version', () => {
    expect(parseUid('8849182c-82ad-4088-a07f-48ead4180515')).toEqual({
      objectId: '8849182c-82ad-4088-a07f-48ead4180515',
      version: undefined,
    });
  });
  it('rejects zero, negative and missing versions', () => {
    expect(parseUid('u::sys::0').version).toBeUndefined();
    expect(parseUid('u::sys').version).toBeUndefined();
    expect(parseUid('u::sys::x').version).toBeUndefined();
  });
});
