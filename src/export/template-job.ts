import type { ExportMode, FetchMode } from '../config/types.js';
import type { ContentPreparer } from '../content/preparer.js';
import type { Logger } from '../context.js';
import type { OpenEhrClient } from '../openehr/types.js';
import type { DeletionPolicy } from '../store/types.js';
import type { InFlightIds } from './in-flight-ids.js';
import type { BatchSink } from './sink.js';
import type { StateReader } from './state.js';
import type { ProgressSink } from './types.js';

/** Everything one template's export needs to know, resolved from configuration and flags. */
export interface TemplateJob {
  templateId: string;
  /** 0 in a dry run (no run row is created). */
  runId: number;
  mode: ExportMode;
  /** Check for deletions after the scan (always in full mode; `--reconcile` in incremental mode). */
  reconcile: boolean;
  ehrIds: string[];
  since?: string;
  until?: string;
  overlapSeconds: number;
  pageSize: number;
  concurrency: number;
  checkpointIntervalMs: number;
  enableCheckpointing: boolean;
  deletionPolicy: DeletionPolicy;
  /** ehr ids are pseudonymised in the store (failures are then located again before retrying). */
  pseudonymizedEhrIds: boolean;
  /** `openehr.query.fetch`: one FLAT GET per composition, or whole compositions in the AQL pages. */
  fetch: FetchMode;
  /** `openehr.query.flat_check_interval` (aql fetch). */
  flatCheckInterval: number;
}

export interface TemplateDeps {
  logger: Logger;
  client: OpenEhrClient;
  state: StateReader;
  sink: BatchSink;
  content: ContentPreparer;
  progress: ProgressSink;
  signal: AbortSignal;
  now: () => number;
  /**
   * Called once the template fetches no more compositions (what is left is writing, reconciling and
   * closing it): the engine may start the next template then. Not called when it stops early.
   */
  onFetched?: () => void;
  /** The ids of the run's batches in flight, shared by its templates (see InFlightIds). */
  inFlight?: InFlightIds;
}
