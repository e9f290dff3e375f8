import { describe, expect, it } from 'vitest';
import { createTransformer, transformComposition } from '../../../src/transform/index.js';
import { jsonbKeyOrder } from '../../../src/transform/shape.js';
import { createTestDatabase } from '../../support/db.js';
import { loadFlatFixtures } from '../../unit/transform/flat-fixtures.js';

/**
 * The export sends each composition with its keys already in the order JSONB stores them, so the server's
 * key sort finds them presorted. That order is only a speed matter, but it must be the server's own: this
 * asks a real PostgreSQL (its jsonb output lists keys in storage order).
 */
const db = await createTestDatabase({ migrated: false });

async function serverKeyOrder(json: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ t: string }>('SELECT $1::jsonb::text AS t', [json]);
  return Object.keys(JSON.parse(rows[0]!.t) as object);
}

describe('JSONB key order', () => {
  it('jsonbKeyOrder is the order PostgreSQL stores keys in, multi-byte keys included', async () => {
    // No integer-like keys: JSON.parse would move them first and hide the server's order.
    const keys = [
      'zz',
      'a',
      'ä',
      'b',
      '€',
      'aa',
      'ab',
      'Z',
      'a/b|c',
      'a:0/b',
      'x'.repeat(40),
      'é/é',
      '__proto__',
    ];
    const text = `{${keys.map((k) => `${JSON.stringify(k)}:1`).join(',')}}`;
    expect(jsonbKeyOrder(keys).map((i) => keys[i])).toEqual(await serverKeyOrder(text));
  });

  it('the text the export stores already has the server order, for every fixture and both formats', async () => {
    for (const format of ['preserve', 'flatten'] as const) {
      const transform = createTransformer(format);
      for (const { name, flat } of loadFlatFixtures()) {
        const out = transform(flat);
        expect(Object.keys(JSON.parse(out.json) as object), `${format} ${name}`).toEqual(
          await serverKeyOrder(out.json),
        );
        expect(out).toEqual(transformComposition(flat, format));
      }
    }
  });
});
