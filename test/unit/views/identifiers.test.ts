import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byteLength,
  claimUnique,
  fitColumnName,
  fitIdentifier,
  fitViewName,
  quoteIdent,
  quoteLiteral,
  snakePart,
} from '../../../src/views/identifiers.js';

/**
 * What PostgreSQL accepts unquoted and keeps as written: ASCII only as `a-z`, `0-9`, `_`, not starting with
 * a digit; any non-ASCII character (the scanner treats every high-bit byte as a letter).
 */
const UNQUOTED = /^(?![0-9])(?:[a-z0-9_]|[^\x00-\x7f])+$/u;

describe('snakePart', () => {
  it.each([
    ['körpergewicht', 'koerpergewicht'],
    ['gestörter_geruchssinn', 'gestoerter_geruchssinn'],
    ['Größe', 'groesse'],
    ['fragebogen_zum_medikations-screening', 'fragebogen_zum_medikations_screening'],
    ['bezeichnung_des_symptoms_oder_anzeichens.', 'bezeichnung_des_symptoms_oder_anzeichens'],
    ['ehrbase_multi_occurrence.de.v1', 'ehrbase_multi_occurrence_de_v1'],
    ['IDCR -  Adverse Reaction List.v1', 'idcr_adverse_reaction_list_v1'],
    ['AlternativeEvents', 'alternative_events'],
    ['Corona_Anamnese', 'corona_anamnese'],
    ['HbA1cResult', 'hb_a1c_result'],
    ['café_crème', 'cafe_creme'],
    ['температура', 'температура'],
    ['体温', '体温'],
    ['...', 'x'],
    ['', 'x'],
  ])('%j → %j', (id, expected) => {
    expect(snakePart(id)).toBe(expected);
  });

  it('is stable and gives identifiers PostgreSQL reads unquoted, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (id) => {
        const s = snakePart(id);
        expect(snakePart(id)).toBe(s);
        expect(s).toMatch(/^[\p{L}\p{N}_]+$/u);
        expect(s).not.toMatch(/^_|_$|__/);
      }),
    );
  });
});

describe('fitting names into 63 bytes', () => {
  it('leaves short names alone and prefixes a leading digit', () => {
    expect(fitColumnName(['temperature'], '_magnitude')).toBe('temperature_magnitude');
    expect(fitColumnName(['3d_scan'])).toBe('_3d_scan');
    expect(fitViewName(['1st_visit', 'any_event'])).toBe('_1st_visit__any_event');
  });

  it('keeps the attribute and every part of a long column name, tagged with a hash', () => {
    const long =
      'aufenthalt_in_den_letzten_14_tage_in_einem_der_risikogebiete_fuer_coronainfektion_oder_kontakt';
    const code = fitColumnName([long], '_code');
    const value = fitColumnName([long], '_value');
    expect(byteLength(code)).toBeLessThanOrEqual(63);
    expect(code).toMatch(/^aufenthalt_in_den_letzten_14_tage.*_[0-9a-f]{8}_code$/);
    expect(value).toMatch(/_value$/);
    // The same hash: the two columns visibly belong to the same data point.
    expect(code.slice(-13, -5)).toBe(value.slice(-14, -6));
    const two = fitColumnName([
      'fieber_oder_erhoehte_koerpertemperatur',
      'bezeichnung_des_symptoms_oder_anzeichens',
    ]);
    expect(two).toMatch(/^fieber_oder_erhoehte_koer.*__bezeichnung_des_sympt/);
  });

  it('keeps the template and the innermost nodes of a long view name', () => {
    const name = fitViewName([
      'corona_anamnese',
      'reisefall',
      'beliebiges_intervallereignis',
      'bestimmte_reise',
      'bestimmtes_reiseziel',
    ]);
    expect(byteLength(name)).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^corona_anamnese__.*bestimmtes_reiseziel_[0-9a-f]{8}$/);
  });

  it('counts bytes, not characters, and never cuts a character in half', () => {
    const cyrillic = 'очень_длинное_название_элемента_архетипа_для_проверки';
    const name = fitColumnName([cyrillic, cyrillic], '_magnitude');
    expect(byteLength(name)).toBeLessThanOrEqual(63);
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    expect(name).not.toContain('\uFFFD');
  });

  it('distinct long names stay distinct (the hash covers the full name)', () => {
    const base = 'x'.repeat(200);
    expect(fitIdentifier(`${base}_a`)).not.toBe(fitIdentifier(`${base}_b`));
    expect(fitColumnName([`${base}a`])).not.toBe(fitColumnName([`${base}b`]));
    expect(fitViewName(['t', `${base}a`])).not.toBe(fitViewName(['t', `${base}b`]));
  });

  it('always gives a valid identifier of at most 63 bytes', () => {
    const part = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 120 }).map(snakePart);
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('', '_code', '_magnitude'),
        (parts, tail) => {
          for (const name of [fitColumnName(parts, tail), fitViewName(parts)]) {
            expect(byteLength(name)).toBeLessThanOrEqual(63);
            expect(name.length).toBeGreaterThan(0);
            expect(name).toMatch(UNQUOTED);
          }
        },
      ),
    );
  });
});

describe('claimUnique', () => {
  it('suffixes _2, _3 deterministically and stays within 63 bytes', () => {
    const taken = new Set<string>(['composition_id']);
    expect(claimUnique('composition_id', taken)).toBe('composition_id_2');
    expect(claimUnique('composition_id', taken)).toBe('composition_id_3');
    const long = 'y'.repeat(63);
    const a = claimUnique(long, taken);
    const b = claimUnique(long, taken);
    expect(a).toBe(long);
    expect(b).not.toBe(a);
    expect(byteLength(b)).toBeLessThanOrEqual(63);
  });

  it('never returns a name twice', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'a_2', 'b', 'z'.repeat(70)), { maxLength: 30 }), (wanted) => {
        const taken = new Set<string>();
        const names = wanted.map((w) => claimUnique(w, taken));
        expect(new Set(names).size).toBe(names.length);
      }),
    );
  });
});

describe('quoting', () => {
  it('quotes identifiers and literals safely', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL/);
  });
});
