import type { Category } from './categories.js';
import type { AppliedStrategy, Finding } from './types.js';

const DEFAULT_EXAMPLES = 5;

interface CategoryTally {
  count: number;
  strategies: Partial<Record<AppliedStrategy, number>>;
  /** Example FLAT paths (never values), first seen first. */
  examplePaths: string[];
}

interface TemplateTally {
  compositions: number;
  compositionsWithFindings: number;
  categories: Map<Category, CategoryTally>;
}

export interface DryRunReportJson {
  compositions: number;
  compositionsWithFindings: number;
  findings: number;
  byCategory: Record<string, { count: number; strategies: Partial<Record<AppliedStrategy, number>> }>;
  byTemplate: Record<
    string,
    {
      compositions: number;
      compositionsWithFindings: number;
      categories: Record<
        string,
        { count: number; strategies: Partial<Record<AppliedStrategy, number>>; examplePaths: string[] }
      >;
    }
  >;
}

/**
 * What an anonymisation dry run would change: counts per category and per template, with a few example
 * paths. It is built from findings only, which carry no values, so it cannot leak one.
 */
export class DryRunReport {
  readonly #templates = new Map<string, TemplateTally>();
  readonly #maxExamples: number;

  constructor(options: { maxExamplePaths?: number } = {}) {
    this.#maxExamples = options.maxExamplePaths ?? DEFAULT_EXAMPLES;
  }

  add(templateId: string, findings: readonly Finding[]): void {
    let template = this.#templates.get(templateId);
    if (!template) {
      template = { compositions: 0, compositionsWithFindings: 0, categories: new Map() };
      this.#templates.set(templateId, template);
    }
    template.compositions++;
    if (findings.length > 0) template.compositionsWithFindings++;
    for (const f of findings) {
      let tally = template.categories.get(f.category);
      if (!tally) {
        tally = { count: 0, strategies: {}, examplePaths: [] };
        template.categories.set(f.category, tally);
      }
      tally.count++;
      tally.strategies[f.strategy] = (tally.strategies[f.strategy] ?? 0) + 1;
      if (tally.examplePaths.length < this.#maxExamples && !tally.examplePaths.includes(f.path)) {
        tally.examplePaths.push(f.path);
      }
    }
  }

  toJSON(): DryRunReportJson {
    const out: DryRunReportJson = {
      compositions: 0,
      compositionsWithFindings: 0,
      findings: 0,
      byCategory: {},
      byTemplate: {},
    };
    for (const [templateId, t] of [...this.#templates].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.compositions += t.compositions;
      out.compositionsWithFindings += t.compositionsWithFindings;
      const categories: DryRunReportJson['byTemplate'][string]['categories'] = {};
      for (const [category, tally] of [...t.categories].sort(([a], [b]) => (a < b ? -1 : 1))) {
        out.findings += tally.count;
        categories[category] = {
          count: tally.count,
          strategies: { ...tally.strategies },
          examplePaths: [...tally.examplePaths],
        };
        const total = out.byCategory[category] ?? { count: 0, strategies: {} };
        out.byCategory[category] = total;
        total.count += tally.count;
        for (const [s, n] of Object.entries(tally.strategies) as [AppliedStrategy, number][]) {
          total.strategies[s] = (total.strategies[s] ?? 0) + n;
        }
      }
      out.byTemplate[templateId] = {
        compositions: t.compositions,
        compositionsWithFindings: t.compositionsWithFindings,
        categories,
      };
    }
    return out;
  }

  renderText(): string {
    const r = this.toJSON();
    const lines = [
      'Anonymization dry run: nothing was written.',
      `${r.compositions} compositions examined, ${r.compositionsWithFindings} with findings, ${r.findings} values would be replaced.`,
    ];
    if (r.findings > 0) {
      lines.push('', 'By category:');
      for (const [category, c] of Object.entries(r.byCategory))
        lines.push(`  ${category}: ${c.count} (${strategies(c.strategies)})`);
    }
    for (const [templateId, t] of Object.entries(r.byTemplate)) {
      lines.push(
        '',
        `Template ${templateId}: ${t.compositions} compositions, ${t.compositionsWithFindings} with findings`,
      );
      for (const [category, c] of Object.entries(t.categories)) {
        lines.push(`  ${category}: ${c.count} (${strategies(c.strategies)})`);
        for (const path of c.examplePaths) lines.push(`    e.g. ${path}`);
      }
    }
    return lines.join('\n') + '\n';
  }
}

function strategies(s: Partial<Record<AppliedStrategy, number>>): string {
  return Object.entries(s)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}
