import { describe, expect, it } from 'vitest';
import { lastPerKey, watermarkInput } from '../../../src/store/postgres/batch-plan.js';
import type { CompositionRow } from '../../../src/store/types.js';

function row(id: string, ehrId: string, time: string, version = 1): CompositionRow {
  return {
    id,
    ehrId,
    compositionUid: `${id}::sys::${version}`,
    templateId: 'T',
    timeCommitted: time,
    contentJson: '{}',
    exportMode: 'flatten',
    checksum: `c${version}`,
  };
}

describe('lastPerKey', () => {
  it('keeps the last occurrence of each key, in the order of last occurrences', () => {
    const out = lastPerKey(
      [
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
        { k: 'a', v: 3 },
      ],
      (r) => r.k,
    );
    expect(out).toEqual([
      { k: 'b', v: 2 },
      { k: 'a', v: 3 },
    ]);
  });
});

describe('watermarkInput', () => {
  it('+1 per inserted row, 0 per updated or unchanged, -1 per removed row, 0 per marked row', () => {
    const rows = [row('a', 'e1', 't1'), row('b', 'e1', 't2'), row('c', 'e2', 't3')];
    const input = watermarkInput(
      rows,
      [
        { id: 'a', ehrId: 'e1', templateId: 'T', inserted: true },
        { id: 'b', ehrId: 'e1', templateId: 'T', inserted: false },
      ],
      [{ ehrId: 'e3', templateId: 'T' }],
      [{ ehrId: 'e4', templateId: 'T' }],
    );
    expect(input).toEqual({
      templateIds: ['T', 'T', 'T', 'T', 'T'],
      ehrIds: ['e1', 'e1', 'e2', 'e3', 'e4'],
      times: ['t1', 't2', 't3', null, null],
      uids: ['a::sys::1', 'b::sys::1', 'c::sys::1', null, null],
      deltas: [1, 0, 0, -1, 0],
    });
  });
});
