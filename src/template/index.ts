// openEHR templates inside Atlas (issue 20). A leaf module: Node builtins, saxes, src/errors only.
// Part 1, web templates from operational templates:

export { InvalidOptError } from './opt/errors.js';
export type { OperationalTemplate } from './opt/model.js';
export { parseOpt } from './opt/parse-opt.js';
export { buildWebTemplate, buildWebTemplateJson, webTemplateFromOpt } from './web-template/index.js';
export type * from './web-template/types.js';
