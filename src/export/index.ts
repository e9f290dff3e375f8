/** The export engine: discovery by commit time, bounded-concurrency fetch, one transaction per batch. */
export { type EngineDeps, type ExportTarget, runExport } from './engine.js';
export { type ExportJob, type ExportRequest, exportJobOf } from './jobs.js';
export { emptyState, type StateReader } from './state.js';
export { exitCodeOf, runStatusOf, toRunRecord, totalsOf } from './summary.js';
export { formatSummary } from './summary-text.js';
export type * from './types.js';
export { silentProgress } from './types.js';
