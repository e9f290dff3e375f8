import type { MachineDescription } from './machine.js';
import type { Figure } from './stats.js';

/** CPU seconds per 1,000 compositions of each process (medians); undefined where not measurable. */
export interface CpuShare {
  exporter: number;
  simulator: number;
  postgres: number | undefined;
}

export interface FullExportResult {
  dataset: string;
  compositions: number;
  templates: number;
  ehrs: number;
  rate: Figure;
  mbPerSecond: Figure;
  requestsPerComposition: Figure;
  peakRssMb: Figure;
  wallSeconds: Figure;
  /** Rate over the engine's own duration (no process start-up / shutdown). */
  engineRate: Figure;
  cpuPer1000: CpuShare;
  rowsStored: number;
}

export interface CopyResult {
  rows: number;
  rate: Figure;
  mbPerSecond: Figure;
  /** Export rate ÷ COPY rate, run by run (target >= 0.7). */
  ratio: Figure;
  postgresCpuPer1000: number | undefined;
  rowsEqualExport: boolean;
}

export interface OriginalPatternResult {
  dataset: string;
  compositions: number;
  ehrs: number;
  templates: number;
  rate: Figure;
  requestsPerComposition: Figure;
  postgresRoundTripsPerComposition: number;
  /** Our full-export rate (scenario 1 median) ÷ the original's rate (median). */
  speedup: number | undefined;
  /** Our rate on the same subset, when measured. */
  ourRateOnSubset: Figure | undefined;
  speedupOnSubset: number | undefined;
}

export interface IncrementalPoint {
  ehrs: number;
  compositions: number;
  requests: Figure;
  requestsByKind: Record<string, number>;
  wallSeconds: Figure;
}

export interface NoopResult {
  templates: number;
  points: IncrementalPoint[];
}

export interface ChangedResult {
  ehrs: number;
  compositions: number;
  changed: number;
  requests: Figure;
  wallSeconds: Figure;
  updatedRows: Figure;
}

export interface MemoryPoint {
  compositions: number;
  runs: number;
  peakRssMb: Figure;
  rate: Figure;
}

export interface AnonymizationResult {
  compositions: number;
  plainRate: Figure;
  anonymizedRate: Figure;
  /** 1 - anonymized rate ÷ plain rate, in percent, run by run (target < 15). */
  overheadPercent: Figure;
}

/** One full export of the fetch-modes scenario (issue 22): one run, one mode, one server condition. */
export interface FetchModePoint {
  condition: 'loopback' | 'latency 10 ms' | 'fault mix';
  fetch: 'composition' | 'aql';
  compositions: number;
  rate: number;
  copyRate: number;
  ratioToCopy: number;
  requestsPerComposition: number;
  peakRssMb: number;
  wallSeconds: number;
  failed: number;
  /** Templates that switched to composition fetch (a FLAT mismatch). */
  fellBack: string[];
}

export interface FetchModesResult {
  dataset: string;
  templates: string[];
  points: FetchModePoint[];
}

/** Milliseconds of one write with the occurrence-table triggers on and off. */
export interface WriteCost {
  withTriggers: number;
  without: number;
}

/** Scenario 8: repeating views against the main view (issue 19 item 3). */
export interface ViewsResult {
  compositions: number;
  mainRows: number;
  repeatingRows: number;
  /** Body-temperature events in the generated data (the repeating view must return exactly these). */
  expectedRepeatingRows: number;
  /** count(*) of the previous design's live SELECT (must equal repeatingRows). */
  liveDesignRows: number;
  /** Wall time of `atlas views generate` (builds the occurrence tables from every stored composition). */
  generateSeconds: number;
  countMainMs: Figure;
  countRepeatingMs: Figure;
  /** Repeating ÷ main, run by run (target <= 3). */
  countRatio: Figure;
  aggregateMainMs: Figure;
  aggregateRepeatingMs: Figure;
  aggregateRatio: Figure;
  /** count(*) through the previous design's live SELECT, measured once. */
  liveDesignCountMs: number;
  /** Compositions written per write measurement (1% of compositions). */
  writtenCompositions: number;
  insertMs: WriteCost;
  newVersionMs: WriteCost;
  tombstoneMs: WriteCost;
}

export interface BenchResults {
  version: 1;
  label: string | undefined;
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: MachineDescription;
  notes: string[];
  runs: number;
  full?: FullExportResult;
  copy?: CopyResult;
  original?: OriginalPatternResult;
  noop?: NoopResult;
  changed?: ChangedResult;
  memory?: MemoryPoint[];
  anonymization?: AnonymizationResult;
  fetchModes?: FetchModesResult;
  views?: ViewsResult;
  /** Scenarios that failed, with the error. */
  errors: Array<{ scenario: string; message: string }>;
}
