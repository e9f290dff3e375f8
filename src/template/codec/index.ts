/**
 * FLAT (simSDT) ⇄ canonical JSON, driven by a web template (EHRbase's rules: docs/templates.md,
 * ../shared/docs/flat-codec-rules.md). A leaf module: Node builtins and src/errors only.
 */
export { CanonicalCodecError, FlatCodecError } from './errors.js';
export { formatFlat, realsOf } from './flat-text.js';
export { javaDouble } from './java-number.js';
export { canonicalToFlat } from './marshal.js';
export type { FlatComposition, RmObject, WebTemplate, WebTemplateInput, WebTemplateNode } from './types.js';
export { flatToCanonical, type ToCanonicalOptions } from './unmarshal.js';
