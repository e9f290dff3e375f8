import type { ClientStats } from '../types.js';

/** Mutable counters owned by one client instance (never module-level). */
export interface StatsRecorder {
  request(kind: RequestKind): void;
  retry(): void;
  bytes(n: number): void;
  snapshot(): ClientStats;
}

export type RequestKind = 'aql' | 'composition' | 'template' | 'token' | 'other';

export function createStatsRecorder(): StatsRecorder {
  const stats: ClientStats = { requests: 0, retries: 0, bytesReceived: 0, byKind: {} };
  return {
    request(kind) {
      stats.requests++;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    },
    retry() {
      stats.retries++;
    },
    bytes(n) {
      stats.bytesReceived += n;
    },
    snapshot() {
      return { ...stats, byKind: { ...stats.byKind } };
    },
  };
}
