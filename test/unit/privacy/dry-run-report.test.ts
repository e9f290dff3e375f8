import { describe, expect, it } from 'vitest';
import { createAnonymizer, DryRunReport } from '../../../src/privacy/index.js';
import { loadFlatFixtures } from '../transform/flat-fixtures.js';
import { FIXTURE_IDENTIFIERS, stringsIn, survives } from './fixture-identifiers.js';
import { anonymizationConfig, EHR_ID } from './support.js';

describe('DryRunReport', () => {
  it('counts per category and per template, with example paths and never a value', () => {
    const anonymizer = createAnonymizer(anonymizationConfig({ dryRun: true, mode: 'gdpr' }));
    const report = new DryRunReport({ maxExamplePaths: 2 });
    for (const { name, flat } of loadFlatFixtures()) {
      report.add(
        name,
        anonymizer.apply({ flat, ehrId: EHR_ID, compositionUid: 'u', templateId: name }).findings,
      );
    }
    report.add('empty.v1', []);
    const json = report.toJSON();
    expect(json.compositions).toBe(loadFlatFixtures().length + 1);
    expect(json.compositionsWithFindings).toBe(loadFlatFixtures().length);
    const perTemplateTotal = Object.values(json.byTemplate).reduce(
      (n, t) => n + Object.values(t.categories).reduce((m, c) => m + c.count, 0),
      0,
    );
    expect(json.findings).toBe(perTemplateTotal);
    expect(json.byCategory.DATE!.count).toBeGreaterThan(0);
    expect(json.byCategory.OCCUPATION!.count).toBe(3);
    const testAllTypes = json.byTemplate['test_all_types.json']!;
    expect(testAllTypes.categories.IDENTIFIER!.examplePaths).toEqual([
      'test_all_types/test_all_types:0/identifier',
      'test_all_types/test_all_types:0/identifier|issuer',
    ]);
    expect(testAllTypes.categories.NAME).toEqual({
      count: 1,
      strategies: { token: 1 },
      examplePaths: ['test_all_types/composer|name'],
    });

    const text = report.renderText();
    expect(text).toContain('nothing was written');
    expect(text).toContain('Template test_all_types.json');
    expect(text).toContain('e.g. test_all_types/composer|name');
    const rendered = [text, JSON.stringify(json)];
    for (const identifier of Object.values(FIXTURE_IDENTIFIERS).flat()) {
      expect(survives(identifier, rendered), identifier).toBe(false);
      expect(survives(identifier, stringsIn(json)), identifier).toBe(false);
    }
  });

  it('renders an empty run', () => {
    const report = new DryRunReport();
    expect(report.renderText()).toBe(
      'Anonymization dry run: nothing was written.\n0 compositions examined, 0 with findings, 0 values would be replaced.\n',
    );
  });
});
