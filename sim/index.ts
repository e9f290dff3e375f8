/**
 * The openEHR simulator: an EHRbase-compatible (and Better-flavoured) REST server over a deterministic,
 * lazily generated population. A separate program: the exporter (src/) never imports it.
 */
export { DEMO_DATA_DIR, SHARED_FIXTURES_DIR, SHARED_FIXTURES_MANIFEST } from './paths.js';
export { startSimulator } from './simulator.js';
export type * from './types.js';
