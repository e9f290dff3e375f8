/**
 * What a long-running caller (`atlas sync`, its /metrics) wants to hear about a run while it happens. Every
 * method is optional and must return at once (a counter increment, a histogram observation): the export does
 * not wait for it. Absent in one-shot commands, which print a summary instead.
 */
export interface RunObserver {
  /** One HTTP exchange with the openEHR server: the endpoint kind, the status (or 'error': no response). */
  sourceRequest?(event: { endpoint: string; status: number | 'error'; seconds: number }): void;
  /** A request to the openEHR server is about to be retried: why (the HTTP status, or `network`). */
  sourceRetry?(event: { reason: string }): void;
  /** One batch transaction (compositions, watermarks, cursor) committed or failed. */
  databaseWrite?(event: { templateId: string; seconds: number; ok: boolean }): void;
  /**
   * Hook for the bulk-export governor (adaptive request rate and concurrency), which reports its current
   * settings here once it lands; /metrics already exposes them as gauges.
   */
  governor?(event: { templateId?: string; requestsPerSecond: number; concurrency: number }): void;
}
