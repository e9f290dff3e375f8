// openEHR templates inside Atlas (issue 20). A leaf module: Node builtins, saxes, src/errors only.
// Part 1, web templates from operational templates:
export type { OperationalTemplate } from './opt/model.js';
export { InvalidOptError } from './opt/errors.js';
export { parseOpt } from './opt/parse-opt.js';
export type * from './web-template/types.js';
export { buildWebTemplate, buildWebTemplateJson, webTemplateFromOpt } from './web-template/index.js';
