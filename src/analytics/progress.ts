/**
 * Progress of an export, one entry per view (the CLI passes its terminal bars or log lines; the shape is
 * the export engine's ProgressSink, keyed by view name instead of template id).
 */
export interface ExportProgress {
  templateStarted(name: string, total: number | undefined): void;
  templateProgress(name: string, done: number, total: number): void;
  templateFinished(name: string, status: 'completed' | 'failed' | 'interrupted'): void;
  stop(): void;
}

export const silentExportProgress: ExportProgress = {
  templateStarted() {},
  templateProgress() {},
  templateFinished() {},
  stop() {},
};
