import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksumOf } from '../../../src/transform/checksum.js';
import { loadFlatFixtures } from './flat-fixtures.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('checksumOf', () => {
  it('is the SHA-256 hex of the canonical JSON', () => {
    expect(checksumOf({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(checksumOf({ 'b|unit': '°C', 'a|magnitude': 39.0 })).toBe(
      sha256('{"a|magnitude":39,"b|unit":"°C"}'),
    );
  });

  it('matches an independent canonicalisation of every FLAT fixture', () => {
    for (const { name, flat } of loadFlatFixtures()) {
      // FLAT values are primitives, so sorting the top-level entries is the whole canonical form here.
      const sorted = Object.keys(flat)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(flat[k])}`)
        .join(',');
      expect(checksumOf(flat), name).toBe(sha256(`{${sorted}}`));
    }
  });

  it('ignores key order and notices any value change', () => {
    const a = { x: 1, y: 'two' };
    expect(checksumOf({ y: 'two', x: 1 })).toBe(checksumOf(a));
    expect(checksumOf({ x: 1, y: 'two ' })).not.toBe(checksumOf(a));
    expect(checksumOf({ x: '1', y: 'two' })).not.toBe(checksumOf(a));
  });
});
