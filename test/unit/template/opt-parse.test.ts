import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import {
  buildWebTemplateJson,
  InvalidOptError,
  parseOpt,
  type WebTemplateNode,
  webTemplateFromOpt,
} from '../../../src/template/index.js';
import type { WebTemplate as ViewsWebTemplate } from '../../../src/views/types.js';
import { parseWebTemplate } from '../../../src/views/web-template.js';

const TEMPLATES = join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'templates');
const OPTS = readdirSync(TEMPLATES).filter((f) => f.endsWith('.opt'));

function walk(n: WebTemplateNode, visit: (n: WebTemplateNode) => void): void {
  visit(n);
  for (const c of n.children ?? []) walk(c, visit);
}

describe('every fixture OPT gives a web template', () => {
  it('finds the 25 OPTs', () => {
    expect(OPTS).toHaveLength(25);
  });
  for (const file of OPTS) {
    it(file, () => {
      const xml = readFileSync(join(TEMPLATES, file), 'utf8');
      const opt = parseOpt(xml);
      const wt = webTemplateFromOpt(xml);
      expect(wt.templateId).toBe(opt.templateId);
      expect(wt.version).toBe('2.3');
      expect(wt.tree.rmType).toBe('COMPOSITION');
      expect(wt.languages).toContain(wt.defaultLanguage);
      walk(wt.tree, (n) => {
        // Ids are unique among siblings and follow EHRbase's character rule.
        const ids = (n.children ?? []).map((c) => c.id);
        expect(new Set(ids).size, `duplicate child id under ${n.aqlPath ?? '(root)'}`).toBe(ids.length);
        expect(n.id).toMatch(/^[\p{Alphabetic}0-9._-]+$/u);
        expect(n.id).not.toMatch(/^[0-9]/);
        expect(n.id).toBe(n.id.toLowerCase());
        if (n !== wt.tree) expect(n.aqlPath, `node ${n.id}`).toMatch(/^\//);
      });
      // The views read generated templates as they read served ones (the type is a structural superset).
      const forViews: ViewsWebTemplate = wt;
      expect(parseWebTemplate(JSON.parse(JSON.stringify(forViews)), wt.templateId).templateId).toBe(
        wt.templateId,
      );
    });
  }
});

describe('JSON text', () => {
  it('writes doubles with a decimal point, as EHRbase does', () => {
    const xml = readFileSync(join(TEMPLATES, 'ehrbase_multi_occurrence.de.opt'), 'utf8');
    const text = buildWebTemplateJson(parseOpt(xml));
    expect(text).toContain('"min": 0.0');
    expect(text).toContain('"max": 100.0');
    expect(JSON.parse(text)).toEqual(webTemplateFromOpt(xml));
  });
});

describe('an invalid OPT is refused with the line and element', () => {
  const valid = readFileSync(join(TEMPLATES, 'minimal_evaluation.opt'), 'utf8');

  function refusal(xml: string): InvalidOptError {
    try {
      webTemplateFromOpt(xml);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidOptError);
      return err as InvalidOptError;
    }
    throw new Error('accepted');
  }

  it('XML that is not well-formed', () => {
    const lines = valid.split('\n');
    const at = lines.findIndex((l) => l.includes('<rm_type_name>EVALUATION</rm_type_name>'));
    lines[at] = (lines[at] as string).replace('</rm_type_name>', '</rm_type>');
    const e = refusal(lines.join('\n'));
    expect(e.line).toBe(at + 1);
    expect(e.element).toBe('children');
    expect(e.message).toMatch(
      new RegExp(
        `^invalid operational template \\(line ${at + 1}, element <children>\\): not well-formed XML: unexpected close tag </rm_type>`,
      ),
    );
    expect(e.exitCode).toBe(ExitCode.usage);
  });

  it('a constraint without rm_type_name', () => {
    const lines = valid.split('\n');
    const at = lines.findIndex((l) => l.includes('<rm_type_name>EVALUATION</rm_type_name>'));
    lines[at] = '';
    const e = refusal(lines.join('\n'));
    expect(e.element).toBe('children');
    expect(e.message).toMatch(/<children> has no <rm_type_name>/);
    expect(e.line).toBeLessThan(at + 1);
    expect(e.line).toBeGreaterThan(1);
  });

  it('a document that is not a template', () => {
    const e = refusal('<?xml version="1.0"?>\n<composition/>');
    expect(e.message).toBe(
      'invalid operational template (line 2, element <composition>): the root element is <composition>, expected <template>',
    );
  });

  it('a node id without a term definition', () => {
    const e = refusal(valid.replace(/<node_id>at0000<\/node_id>/, '<node_id>at9999</node_id>'));
    expect(e.message).toMatch(/node_id at9999 \(COMPOSITION\) has no term definition/);
    expect(e.line).toBeGreaterThan(1);
  });

  it('an empty text', () => {
    expect(refusal('').message).toMatch(/^invalid operational template/);
  });
});
