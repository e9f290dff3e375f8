import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { castFunctionStatements } from '../../../src/views/cast-functions.js';
import { createTestDatabase } from '../../support/db.js';
import { rawTextPool } from './support.js';

/**
 * The safe casts: what parses gives the value, anything else NULL — never an error, whatever the text.
 * Session in UTC with ISO intervals (rawTextPool), so the expected texts are PostgreSQL's canonical output.
 */
const db = await createTestDatabase();
const raw = rawTextPool(db.url);

beforeAll(async () => {
  await raw.query('CREATE SCHEMA atlas_views');
  for (const statement of castFunctionStatements('atlas_views')) await raw.query(statement);
});

async function cast(fn: string, inputs: Array<string | null>): Promise<Array<string | null>> {
  const { rows } = await raw.query(
    `SELECT atlas_views.${fn}(v) AS out FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i`,
    [inputs],
  );
  return rows.map((r) => r.out);
}

const CASES: Record<string, Array<[string | null, string | null]>> = {
  try_numeric: [
    ['39.0', '39.0'],
    ['-1.5e3', '-1500'],
    ['636.3397240638733', '636.3397240638733'],
    ['37,5', '37.5'],
    ['.5', '0.5'],
    ['1e99999', null],
    ['NaN', null],
    ['38 °C', null],
    ['', null],
    [null, null],
  ],
  try_bigint: [
    ['10', '10'],
    ['10.0', '10'],
    ['-3', '-3'],
    ['999999999999999999', '999999999999999999'],
    ['9999999999999999999', null],
    ['1.5', null],
    ['ten', null],
  ],
  try_integer: [
    ['1', '1'],
    ['1.0', '1'],
    ['99999999999', null],
    ['x', null],
  ],
  try_boolean: [
    ['true', 't'],
    ['FALSE', 'f'],
    ['yes', null],
    ['1', null],
  ],
  try_date: [
    ['2019-01-14', '2019-01-14'],
    ['2020-02-29', '2020-02-29'],
    ['2021-02-29', null],
    ['2019-04-31', null],
    ['0000-01-01', null],
    ['2019-01', null],
    ['2019-01-14T10:00:00Z', null],
  ],
  try_time: [
    ['18:36:49', '18:36:49'],
    ['18:36:49.5', '18:36:49.5'],
    ['18:36', '18:36:00'],
    ['18:36:49Z', '18:36:49'],
    ['18:36:49,25+02:00', '18:36:49.25'],
    ['25:00:00', null],
    ['18:61', null],
  ],
  try_timestamptz: [
    ['2019-01-28T21:22:49.426Z', '2019-01-28 21:22:49.426+00'],
    ['2020-05-11T22:53:12.039139+02:00', '2020-05-11 20:53:12.039139+00'],
    ['2020-10-06T13:30:34,314872+02:00', '2020-10-06 11:30:34.314872+00'],
    ['2019-01-28T21:22Z', '2019-01-28 21:22:00+00'],
    ['2019-01-28', '2019-01-28 00:00:00+00'],
    ['2019-02-29T10:00:00Z', null],
    ['2019-01-28T21', null],
    ['2019-13-01T00:00:00Z', null],
    ['28.01.2019 21:22', null],
    ['now', null],
    ['infinity', null],
  ],
  try_interval: [
    ['PT30M', 'PT30M'],
    ['P30D', 'P30D'],
    ['P1Y2M3DT4H5M6.5S', 'P1Y2M3DT4H5M6.5S'],
    ['P2W', 'P14D'],
    ['P0D', 'PT0S'],
    ['PT1,5S', 'PT1.5S'],
    ['P', null],
    ['PT', null],
    ['-P1D', null],
    ['30 minutes', null],
    ['P9999999Y', null],
  ],
};

describe('safe casts', () => {
  it.each(Object.entries(CASES))('%s', async (fn, cases) => {
    expect(
      await cast(
        fn,
        cases.map(([input]) => input),
      ),
    ).toEqual(cases.map(([, out]) => out));
  });

  it('never raise, whatever the text', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.stringMatching(/^[-+0-9.,eEPTYMWDHS:Z ]{0,30}$/),
      // Date-times with one character turned into a 9 (month 19, day 39, hour 29 …).
      fc.tuple(fc.date({ noInvalidDate: true }), fc.nat(23)).map(([d, at]) => {
        const iso = d.toISOString();
        return `${iso.slice(0, at)}9${iso.slice(at + 1)}`;
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          text.filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 40 },
        ),
        async (inputs) => {
          for (const fn of Object.keys(CASES)) await cast(fn, inputs);
        },
      ),
      { numRuns: 60 },
    );
  });
});
