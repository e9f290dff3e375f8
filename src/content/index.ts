/**
 * The content path shared by export and verify: anonymise the FLAT (when enabled), transform it
 * (preserve/flatten) and hash it, so both compute the same checksum of what is stored.
 */
export { type CompositionMeta, type ContentPreparer, contentPreparer } from './preparer.js';
export { openPrivacy, type PrivacyWiring } from './privacy-wiring.js';
