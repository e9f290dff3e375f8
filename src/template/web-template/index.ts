import type { OperationalTemplate } from '../opt/model.js';
import { parseOpt } from '../opt/parse-opt.js';
import { TreeBuilder } from './build-tree.js';
import { defaultValues } from './defaults.js';
import { filterTree } from './filter.js';
import { javaHashOrder } from './node-id.js';
import { webTemplateText } from './serialize.js';
import type { WebTemplate } from './types.js';

export type * from './types.js';

/**
 * The template languages as EHRbase lists them: the distinct languages of `description/details`, in the
 * iteration order of the Java HashSet EHRbase collects them in (not document order).
 */
export function templateLanguages(opt: OperationalTemplate): string[] {
  return javaHashOrder(opt.detailLanguages);
}

/**
 * The web template of an operational template as JSON text, exactly as EHRbase writes it (key order,
 * `0.0` for doubles); `indent` 0 for the compact form.
 */
export function buildWebTemplateJson(opt: OperationalTemplate, indent = 2): string {
  const languages = templateLanguages(opt);
  const tree = new TreeBuilder(opt, languages, defaultValues(opt.defaults)).build();
  const filtered = filterTree(tree, languages);
  return webTemplateText(
    { templateId: opt.templateId, defaultLanguage: opt.defaultLanguage, languages },
    filtered,
    indent,
  );
}

/** The web template (openEHR_SDK OPTParser + Filter, what EHRbase serves as application/openehr.wt+json). */
export function buildWebTemplate(opt: OperationalTemplate): WebTemplate {
  return JSON.parse(buildWebTemplateJson(opt, 0)) as WebTemplate;
}

/** OPT XML → web template. Throws InvalidOptError (exit 2) for XML that is not a usable OPT. */
export function webTemplateFromOpt(xml: string): WebTemplate {
  return buildWebTemplate(parseOpt(xml));
}
