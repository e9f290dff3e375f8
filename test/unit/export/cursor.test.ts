import { describe, expect, it } from 'vitest';
import { compareCursorKeys, laterCursor } from '../../../src/export/cursor.js';
import type { TemplateCursor } from '../../../src/store/types.js';

const at = (time: string, uid: string, mode: TemplateCursor['mode'] = 'commit_time'): TemplateCursor => ({
  templateId: 't',
  time,
  uid,
  mode,
});

describe('cursor', () => {
  it('orders by instant, then uid', () => {
    expect(compareCursorKeys(at('2024-01-01T00:00:00Z', 'b'), at('2024-01-01T01:00:00+01:00', 'a'))).toBe(1);
    expect(compareCursorKeys(at('2024-01-01T00:00:00.1Z', 'a'), at('2024-01-01T00:00:00.10Z', 'a'))).toBe(0);
    expect(compareCursorKeys(at('2024-01-01T00:00:00Z', 'z'), at('2024-01-01T00:00:01Z', 'a'))).toBe(-1);
  });

  it('never moves backwards within a mode', () => {
    const current = at('2024-01-01T00:10:00Z', 'm');
    expect(laterCursor(current, at('2024-01-01T00:05:00Z', 'z'))).toBe(current);
    const ahead = at('2024-01-01T00:10:00Z', 'n');
    expect(laterCursor(current, ahead)).toBe(ahead);
    expect(laterCursor(null, ahead)).toBe(ahead);
  });

  it('a cursor of the other discovery mode is replaced', () => {
    const clinical = at('2030-01-01T00:00:00Z', 'a', 'clinical_time');
    const commit = at('2024-01-01T00:00:00Z', 'a');
    expect(laterCursor(clinical, commit)).toBe(commit);
  });
});
