import { ConfigError } from '../errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * `--every` as seconds: `30s`, `5m`, `1h`, `1m30s`, or a bare number of seconds. Anything else, or zero, is a
 * usage error naming what is accepted.
 */
export function parseDuration(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return positive(Number(t), text);
  const parts = [...t.matchAll(/(\d+)([smh])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) {
    throw new ConfigError(
      `--every ${JSON.stringify(text)} is not a duration: use e.g. 30s, 5m, 1h or 1m30s (seconds if no unit)`,
    );
  }
  return positive(
    parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2]!] ?? 0), 0),
    text,
  );
}

function positive(seconds: number, text: string): number {
  if (seconds < 1 || seconds > 86_400) {
    throw new ConfigError(`--every ${JSON.stringify(text)} is out of range: from 1s to 24h`);
  }
  return seconds;
}

/** Up to this share of the wait is added at random, so instances started together drift apart. */
export const JITTER_FRACTION = 0.1;

/**
 * The wait before the next cycle, in milliseconds: the interval after a success; after `failures` failed
 * cycles in a row, the interval doubled per failure up to `maxBackoffSeconds`; plus up to 10% jitter.
 */
export function nextDelayMs(
  intervalSeconds: number,
  failures: number,
  maxBackoffSeconds: number,
  random: () => number,
): number {
  const ceiling = Math.max(maxBackoffSeconds, intervalSeconds);
  const base = failures === 0 ? intervalSeconds : Math.min(intervalSeconds * 2 ** failures, ceiling);
  return Math.round(base * 1000 * (1 + JITTER_FRACTION * random()));
}

/** Listen address `host:port` (IPv6 in brackets: `[::1]:9477`); port 0 picks a free one. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65_535) {
    throw new ConfigError(
      `listen address ${JSON.stringify(text)} is not host:port: use e.g. 127.0.0.1:9477, 0.0.0.0:9477 or [::1]:9477 (--listen, sync.listen)`,
    );
  }
  return { host: (m[1] ?? m[2])!, port };
}
