// openEHR templates inside Atlas (issue 20). A leaf module: Node builtins, saxes, src/errors only.
// Part 1, web templates from operational templates:

// Part 2, the FLAT ⇄ canonical codec (driven by a web template of either origin):
export {
  CanonicalCodecError,
  canonicalToFlat,
  FlatCodecError,
  type FlatComposition,
  flatToCanonical,
  formatFlat,
  javaDouble,
  type RmObject,
  realsOf,
  type ToCanonicalOptions,
} from './codec/index.js';
export { InvalidOptError } from './opt/errors.js';
export type { OperationalTemplate } from './opt/model.js';
export { parseOpt } from './opt/parse-opt.js';
export { buildWebTemplate, buildWebTemplateJson, webTemplateFromOpt } from './web-template/index.js';
export type * from './web-template/types.js';
