import { integerType, stringType } from '../value-types.js';
import { defineKey } from './define.js';

/** The default address of `atlas sync`'s HTTP endpoints: loopback only, a port no common exporter uses. */
export const DEFAULT_SYNC_LISTEN = '127.0.0.1:9477';

/** [sync]: `atlas sync`, the long-running incremental export. */
export const SYNC_KEYS = {
  syncIntervalSeconds: defineKey({
    key: 'sync.interval_seconds',
    type: integerType(1, 86_400),
    default: 60,
    description:
      'Seconds between the starts of two sync cycles; each wait gets up to 10% random jitter so several ' +
      'instances do not start together. `--every` (e.g. `30s`, `5m`) overrides it.',
    example: 30,
    read: (c) => c.sync.intervalSeconds,
  }),
  syncListen: defineKey({
    key: 'sync.listen',
    type: stringType({ allowed: 'host:port, e.g. 127.0.0.1:9477 or 0.0.0.0:9477' }),
    default: DEFAULT_SYNC_LISTEN,
    description:
      'Address of the /healthz, /readyz and /metrics endpoints of `atlas sync`. Loopback by default; bind ' +
      'another address only behind a network policy (see docs/operations.md). `--listen` overrides it.',
    example: '0.0.0.0:9477',
    read: (c) => c.sync.listen,
  }),
  syncLeaseSeconds: defineKey({
    key: 'sync.lease_seconds',
    type: integerType(5, 3600),
    default: 30,
    description:
      'How long a template stays claimed by an instance that lost its network: its lock session is dropped ' +
      'by PostgreSQL (TCP keepalive and user timeout) after about this long, and another instance takes the ' +
      'template at its next cycle. An instance that exits or is killed releases its templates at once.',
    example: 60,
    read: (c) => c.sync.leaseSeconds,
  }),
  syncMaxBackoffSeconds: defineKey({
    key: 'sync.max_backoff_seconds',
    type: integerType(1, 86_400),
    default: 600,
    description:
      'After a failed cycle the wait before the next one doubles (starting from the interval) up to this many ' +
      'seconds; a successful cycle returns to the interval.',
    example: 120,
    read: (c) => c.sync.maxBackoffSeconds,
  }),
  syncReadyFailedCycles: defineKey({
    key: 'sync.ready_failed_cycles',
    type: integerType(1, 1000),
    default: 3,
    description: '`/readyz` reports not ready when this many cycles in a row failed.',
    example: 5,
    read: (c) => c.sync.readyFailedCycles,
  }),
} as const;
