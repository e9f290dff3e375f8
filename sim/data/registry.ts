import type { WebTemplate as CodecWebTemplate } from '../../src/template/index.js';
import { applyCompiled, type CompiledTemplate } from './compile-template.js';
import type { DataSet, TemplateData } from './dataset.js';
import { generatorPrototype } from './prototype.js';

export class TemplateExists extends Error {}

/**
 * Register an uploaded template in the running data set (POST /definition/template/adl1.4). A known id is
 * refused unless `allowOverwrite` (EHRbase's `ehrbase.template.allow-overwrite`, off by default); then the
 * OPT and web template are replaced in place, and compositions already stored follow the new template, as
 * on EHRbase (flat-codec-rules.md §8.1). Called only with a fully compiled template: nothing half-stored.
 */
export function registerTemplate(
  data: DataSet,
  compiled: CompiledTemplate,
  allowOverwrite: boolean,
  createdTimestamp: string,
): { template: TemplateData; replaced: boolean } {
  const existing = data.templates.find((t) => t.templateId === compiled.templateId);
  if (existing) {
    if (!allowOverwrite)
      throw new TemplateExists(
        `Operational template with this template ID already exists: ${compiled.templateId}`,
      );
    applyCompiled(existing, compiled);
    const gen = existing.commitFrom?.generator;
    if (gen) gen.webTemplate = compiled.webTemplate as unknown as CodecWebTemplate;
    return { template: existing, replaced: true };
  }
  const index = data.templates.length;
  const anchor = data.prototypes.length;
  // A generator prototype: API writes attach to it, and `control.commit` composes from the web template.
  const proto = generatorPrototype(
    { index: anchor, templateIndex: index, templateId: compiled.templateId },
    compiled.webTemplate as unknown as CodecWebTemplate,
  );
  data.prototypes.push(proto);
  const template: TemplateData = {
    index,
    anchor,
    templateId: compiled.templateId,
    concept: compiled.concept,
    archetypeId: compiled.archetypeId,
    createdTimestamp,
    prototypes: [],
    commitFrom: proto,
  };
  applyCompiled(template, compiled);
  data.templates.push(template);
  return { template, replaced: false };
}
