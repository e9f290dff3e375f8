import { describe, expect, it } from 'vitest';
import { decideWork, versionOfUid } from '../../../src/export/skip.js';
import type { ChangeRecord } from '../../../src/openehr/types.js';
import type { StoredVersion } from '../../../src/store/types.js';

const rec = (objectId: string, version: number): ChangeRecord => ({
  ehrId: 'e',
  uid: `${objectId}::sys::${version}`,
  objectId,
  version,
  templateId: 't',
  time: '2024-01-01T00:00:00Z',
});
const stored = (id: string, version: number, deleted = false): StoredVersion => ({
  id,
  ehrId: 'e',
  compositionUid: `${id}::sys::${version}`,
  checksum: 'x',
  deleted,
});

describe('decideWork', () => {
  const records = [rec('new', 1), rec('same', 2), rec('updated', 3), rec('older', 1), rec('tomb', 1)];
  const map = new Map([
    ['same', stored('same', 2)],
    ['updated', stored('updated', 2)],
    ['older', stored('older', 4)],
    ['tomb', stored('tomb', 1, true)],
  ]);

  it('incremental: skips a stored uid and an older version, fetches new, updated and tombstoned', () => {
    const work = decideWork(records, map, true);
    expect(work.map((w) => [w.record.objectId, w.outcome?.kind ?? 'fetch'])).toEqual([
      ['new', 'fetch'],
      ['same', 'skipped'],
      ['updated', 'fetch'],
      ['older', 'skipped'],
      ['tomb', 'fetch'],
    ]);
  });

  it('full: fetches the stored uid again, still never an older version', () => {
    const work = decideWork(records, map, false);
    expect(work.map((w) => w.outcome?.kind ?? 'fetch')).toEqual([
      'fetch',
      'fetch',
      'fetch',
      'skipped',
      'fetch',
    ]);
  });

  it('reads the version of a uid', () => {
    expect(versionOfUid('8a6f::local.ehrbase.org::12')).toBe(12);
    expect(versionOfUid('8a6f')).toBe(0);
  });
});
