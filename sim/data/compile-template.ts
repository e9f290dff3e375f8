import { buildWebTemplateJson, InvalidOptError, parseOpt } from '../../src/template/index.js';
import type { TemplateData, WebTemplate } from './dataset.js';

/** Why EHRbase refuses an uploaded OPT (400), with its wording (flat-codec-rules.md §8.1). */
export class TemplateRejected extends Error {}

export interface CompiledTemplate {
  templateId: string;
  concept: string;
  archetypeId: string;
  opt: Buffer;
  webTemplateRaw: Buffer;
  webTemplate: WebTemplate;
}

function text(xml: string, re: RegExp): string | undefined {
  const v = re.exec(xml)?.[1]?.trim();
  return v === '' ? undefined : v;
}

/** The definition's own archetype id: in an OPT it follows the nested attributes, so take the last one. */
export function rootArchetypeId(opt: string): string | undefined {
  const end = opt.indexOf('</definition>');
  if (end < 0) return undefined;
  const ids = [...opt.slice(0, end).matchAll(/<archetype_id>\s*<value>([^<]*)<\/value>/g)];
  return ids.at(-1)?.[1]?.trim();
}

/**
 * An OPT as EHRbase's `TemplateServiceImp.create` checks it, compiled into what the simulator serves:
 * the OPT bytes and the web template generated from them (src/template). Throws TemplateRejected with
 * EHRbase's reason; nothing is registered until this returns.
 */
export function compileTemplate(opt: Buffer): CompiledTemplate {
  const xml = opt.toString('utf8');
  let model: ReturnType<typeof parseOpt>;
  try {
    model = parseOpt(xml);
  } catch (cause) {
    if (cause instanceof InvalidOptError) {
      // Well-formed XML that lacks a mandatory part: EHRbase's `Supplied template has nil or empty …`.
      const wellFormed = !/not well-formed|expected <template>/.test(cause.message);
      for (const part of ['template_id', 'concept', 'language', 'definition', 'description'] as const)
        if (wellFormed && !new RegExp(`<${part}[\\s>]`).test(xml))
          throw new TemplateRejected(`Supplied template has nil or empty ${part}`);
      throw new TemplateRejected(`Invalid template input content: ${cause.message}`);
    }
    throw cause;
  }
  const concept = text(xml, /<concept>([^<]*)<\/concept>/);
  if (!concept) throw new TemplateRejected('Supplied template has nil or empty concept');
  if (!/<description[\s>]/.test(xml))
    throw new TemplateRejected('Supplied template has nil or empty description');
  if (/<rm_type_name>\s*ITEM_TABLE\s*<\/rm_type_name>/.test(xml))
    throw new TemplateRejected('The supplied template is not supported (unsupported types: ITEM_TABLE)');
  let json: string;
  try {
    json = buildWebTemplateJson(model);
  } catch (cause) {
    if (cause instanceof InvalidOptError) throw new TemplateRejected(`Invalid template: ${cause.message}`);
    throw cause;
  }
  const webTemplate = JSON.parse(json) as WebTemplate;
  return {
    templateId: model.templateId,
    concept,
    archetypeId: rootArchetypeId(xml) ?? webTemplate.tree.nodeId ?? 'openEHR-EHR-COMPOSITION.unknown.v1',
    opt,
    webTemplateRaw: Buffer.from(json),
    webTemplate,
  };
}

/** Copy a compiled template onto a (new or overwritten) TemplateData. */
export function applyCompiled(t: TemplateData, c: CompiledTemplate): void {
  t.concept = c.concept;
  t.archetypeId = c.archetypeId;
  t.opt = c.opt;
  t.webTemplateRaw = c.webTemplateRaw;
  t.webTemplate = c.webTemplate;
}
