import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyTextField } from '../../../src/store/postgres/copy-writer.js';

/** PostgreSQL's reading of a COPY text-format field (the escapes copyTextField produces). */
function unescapeCopy(field: string): string {
  return field.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

describe('copyTextField', () => {
  it('escapes backslash, newline, carriage return and tab', () => {
    expect(copyTextField('a\\b\nc\rd\te')).toBe('a\\\\b\\nc\\rd\\te');
  });

  it('never leaves a raw delimiter or line break, and round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const escaped = copyTextField(s);
        expect(escaped).not.toMatch(/[\t\n\r]/);
        expect(unescapeCopy(escaped)).toBe(s);
      }),
    );
  });

  it('keeps JSON text intact through the round trip', () => {
    const json = JSON.stringify({ 'a/b|c': 'line1\nline2\t"q" \\ ü' });
    expect(JSON.parse(unescapeCopy(copyTextField(json)))).toEqual(JSON.parse(json));
  });
});
