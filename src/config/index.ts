/** Configuration: loading (file, ${VAR}, .env, ATLAS_* variables, flags), validation, redaction, key catalogue. */
export type { ConfigFlags } from './flags.js';
export { CONFIG_KEYS, type ConfigKey, K, SECTIONS } from './keys/index.js';
export { DEFAULT_CONFIG_FILE, type LoadConfigInput, type LoadedConfig, loadConfig } from './load.js';
export { MASK, maskConnectionString, redactConfig } from './redact.js';
export { requireTemplateIds } from './require.js';
export { normaliseBaseUrl } from './resolve-openehr.js';
export type * from './types.js';
