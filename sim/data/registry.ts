import { applyCompiled, type CompiledTemplate } from './compile-template.js';
import type { DataSet, TemplateData } from './dataset.js';
import { virtualPrototype } from './prototype.js';

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
    return { template: existing, replaced: true };
  }
  const index = data.templates.length;
  const anchor = data.prototypes.length;
  data.prototypes.push(
    virtualPrototype(
      { index: anchor, templateIndex: index, templateId: compiled.templateId },
      compiled.webTemplate.tree,
    ),
  );
  const template: TemplateData = {
    index,
    anchor,
    templateId: compiled.templateId,
    concept: compiled.concept,
    archetypeId: compiled.archetypeId,
    createdTimestamp,
    prototypes: [],
  };
  applyCompiled(template, compiled);
  data.templates.push(template);
  return { template, replaced: false };
}
