import type { DefaultValueConstraint } from '../opt/model.js';
import { formatPath, parsePath } from './aql-path.js';
import type { DefaultValues } from './inputs.js';

/**
 * Default values from the template's `constraints` section (openEHR_SDK OPTParser.extractDefault), keyed
 * `<path>/<rm_attribute_name>|<field>`: the differential path loses its first segment (the root archetype
 * id), a simple field keeps its element name (`|value`, `|magnitude`, `|units`), a complex one (`symbol`,
 * `defining_code`) becomes `|defining_code` with the contained code_string. Later entries win.
 */
export function defaultValues(constraints: readonly DefaultValueConstraint[]): DefaultValues {
  const out = new Map<string, string>();
  for (const c of constraints) {
    const slash = c.differentialPath.indexOf('/');
    const rest = slash < 0 ? '' : c.differentialPath.slice(slash + 1);
    const raw = `/${rest}/${c.rmAttributeName}`;
    const parsed = parsePath(raw);
    // Unparsable paths (e.g. with surrounding whitespace) are kept verbatim, so they match nothing, as in EHRbase.
    const path = parsed ? formatPath(parsed, true) : raw;
    for (const f of c.fields) {
      if (f.text !== undefined) out.set(`${path}|${f.name}`, f.text);
      else out.set(`${path}|defining_code`, f.definingCode ?? '');
    }
  }
  return out;
}
