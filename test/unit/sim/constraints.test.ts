import { describe, expect, it } from 'vitest';
import { constraintViolations } from '../../../sim/convert/constraints.js';
import type { WebTemplate } from '../../../src/template/index.js';

// A small web template: one OBSERVATION (at most 2) with a ranged quantity, a closed code list and a count.
const wt = {
  templateId: 't',
  version: '2.3',
  defaultLanguage: 'en',
  languages: ['en'],
  tree: {
    id: 'r',
    name: 'R',
    rmType: 'COMPOSITION',
    min: 1,
    max: 1,
    aqlPath: '',
    children: [
      {
        id: 'obs',
        name: 'Obs',
        rmType: 'OBSERVATION',
        min: 0,
        max: 2,
        aqlPath: '/content[o]',
        children: [
          {
            id: 'q',
            name: 'Q',
            rmType: 'DV_QUANTITY',
            min: 0,
            max: 1,
            aqlPath: '/content[o]/q',
            inputs: [
              { suffix: 'magnitude', type: 'DECIMAL' },
              {
                suffix: 'unit',
                type: 'CODED_TEXT',
                list: [
                  { value: 'kg', validation: { range: { min: 0, minOp: '>=', max: 300, maxOp: '<=' } } },
                ],
              },
            ],
          },
          {
            id: 'c',
            name: 'C',
            rmType: 'DV_CODED_TEXT',
            min: 0,
            max: 1,
            aqlPath: '/content[o]/c',
            inputs: [{ suffix: 'code', type: 'CODED_TEXT', list: [{ value: 'at1' }, { value: 'at2' }] }],
          },
          {
            id: 'n',
            name: 'N',
            rmType: 'DV_COUNT',
            min: 0,
            max: 1,
            aqlPath: '/content[o]/n',
            inputs: [{ type: 'INTEGER', validation: { range: { min: 1, minOp: '>=' } } }],
          },
        ],
      },
    ],
  },
} as unknown as WebTemplate;

const ok = {
  'r/territory|code': 'GB',
  'r/obs:0/q|magnitude': 70,
  'r/obs:0/q|unit': 'kg',
  'r/obs:0/c|code': 'at2',
  'r/obs:0/n': 3,
};

describe('template constraints checked on POST/PUT (422)', () => {
  it('accepts values within the lists and ranges', () => {
    expect(constraintViolations(wt, ok)).toEqual([]);
  });

  it('names each violation by its aqlPath', () => {
    expect(
      constraintViolations(wt, {
        ...ok,
        'r/obs:0/q|magnitude': 301,
        'r/obs:0/c|code': 'at9',
        'r/obs:0/n': 0,
        'r/obs:1/n': 1,
        'r/obs:2/n': 1,
      }),
    ).toEqual([
      '/content[o]/q: magnitude 301 is not within range >=0, <=300',
      '/content[o]/c: The value at9 does not match any option from value set [at1, at2]',
      '/content[o]/n: count 0 is not within range >=1, <=∞',
      '/content[o]: 3 occurrences, at most 2 allowed',
    ]);
    const { 'r/territory|code': _, ...noTerritory } = ok;
    expect(constraintViolations(wt, { ...noTerritory, 'r/obs:0/q|unit': 'lb' })).toEqual([
      '/content[o]/q: unit lb is not one of [kg]',
      '/territory: Attribute territory of class COMPOSITION does not match existence 1..1',
    ]);
  });
});
