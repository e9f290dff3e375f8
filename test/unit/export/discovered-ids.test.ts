import { describe, expect, it } from 'vitest';
import { DiscoveredIds } from '../../../src/export/discovered-ids.js';

describe('DiscoveredIds', () => {
  it('keeps every id up to the limit, duplicates counted once', () => {
    const ids = new DiscoveredIds(3);
    for (const id of ['a', 'b', 'a', 'c']) ids.add(id);
    expect([...ids.ids()!].sort()).toEqual(['a', 'b', 'c']);
  });

  it('drops them for good once the limit is passed, so the reconcile lists the source instead', () => {
    const ids = new DiscoveredIds(3);
    for (const id of ['a', 'b', 'c', 'd']) ids.add(id);
    expect(ids.ids()).toBeUndefined();
    ids.add('e');
    expect(ids.ids()).toBeUndefined();
  });

  it('release frees the set', () => {
    const ids = new DiscoveredIds(3);
    ids.add('a');
    ids.release();
    expect(ids.ids()).toBeUndefined();
  });
});
