import { describe, expect, it } from 'vitest';
import { containerNameCollisions, containerNameFor } from '../../../src/config/cosmos-container-names.js';
import { controlIds, idPart, versionOf } from '../../../src/store/cosmos/ids.js';

describe('Cosmos DB container names (the original’s rule)', () => {
  it.each([
    ['IDCR - Lab Report.v1', 'compositions_idcr_lab_report_v1'],
    ['IDCR - Adverse Reaction List.v1', 'compositions_idcr_adverse_reaction_list_v1'],
    ['__Vital__Signs__', 'compositions_vital_signs'],
    ['Übersicht.v2', 'compositions_übersicht_v2'],
  ])('%s → %s', (templateId, name) => {
    expect(containerNameFor('compositions', templateId)).toBe(name);
  });

  it('uses the bare name when the prefix is empty', () => {
    expect(containerNameFor('', 'A.v1')).toBe('a_v1');
  });

  it('reports templates that share a container, and ids that sanitise to nothing', () => {
    expect(containerNameCollisions('c', ['A.v1', 'a-v1', 'B.v1'])).toEqual([
      { container: 'c_a_v1', templateIds: ['A.v1', 'a-v1'] },
    ]);
    expect(containerNameCollisions('c', ['---'])).toEqual([{ container: 'c_', templateIds: ['---'] }]);
    expect(containerNameCollisions('c', ['A.v1', 'A.v1'])).toEqual([]);
  });
});

describe('control document ids', () => {
  it('escapes the characters Cosmos ids may not contain, keeping ids distinct', () => {
    expect(idPart('a/b\\c?d#e%f')).toBe('a%2Fb%5Cc%3Fd%23e%25f');
    expect(controlIds.watermark('T/1', 'e')).not.toBe(controlIds.watermark('T%2F1', 'e'));
    expect(controlIds.watermark('T/1', 'e')).not.toMatch(/[/\\?#]/);
  });

  it('reads the version number of a version uid', () => {
    expect(versionOf('8f4d::local.ehrbase.org::12')).toBe(12);
    expect(versionOf('8f4d')).toBe(0);
  });
});
