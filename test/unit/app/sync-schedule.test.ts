import { describe, expect, it } from 'vitest';
import { cycleConfig } from '../../../src/app/sync.js';
import { nextDelayMs, parseDuration, parseListen } from '../../../src/app/sync-schedule.js';
import { storeConfig } from '../../integration/store/store-context.js';

describe('--every durations', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['1m30s', 90],
    ['45', 45],
    [' 2M ', 120],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
  it.each(['', '0s', '5 m', '1d', 'm5', '30s5', '25h', '-1s'])('%j is refused with exit 2', (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe('the wait before the next cycle', () => {
  it('is the interval after a success, plus at most 10% jitter', () => {
    expect(nextDelayMs(60, 0, 600, () => 0)).toBe(60_000);
    expect(nextDelayMs(60, 0, 600, () => 0.999)).toBe(65_994);
  });
  it('doubles per failed cycle in a row up to max_backoff_seconds', () => {
    expect([1, 2, 3, 4, 5].map((n) => nextDelayMs(60, n, 600, () => 0))).toEqual([
      120_000, 240_000, 480_000, 600_000, 600_000,
    ]);
  });
  it('never drops below the interval when max_backoff_seconds is smaller', () => {
    expect(nextDelayMs(900, 3, 600, () => 0)).toBe(900_000);
  });
});

describe('listen addresses', () => {
  it.each([
    ['127.0.0.1:9477', '127.0.0.1', 9477],
    ['0.0.0.0:0', '0.0.0.0', 0],
    ['[::1]:9477', '::1', 9477],
    ['localhost:80', 'localhost', 80],
  ])('%s', (text, host, port) => {
    expect(parseListen(text)).toEqual({ host, port });
  });
  it.each(['9477', '127.0.0.1', '::1:9477', '127.0.0.1:70000', 'host:port'])('%j is refused', (text) => {
    expect(() => parseListen(text)).toThrow(/not host:port/);
  });
});

describe('a cycle configuration', () => {
  const base = storeConfig({ embeddedPath: '/tmp/x' });
  const config = {
    ...base,
    export: { ...base.export, mode: 'full' as const, lockMode: 'wait' as const },
    openehr: { ...base.openehr, query: { ...base.openehr.query, templateIds: ['a', 'b', 'c'] } },
  };
  it('is incremental, skips locked templates, and starts at another template each cycle', () => {
    const orders = [0, 1, 2, 3].map((n) => cycleConfig(config, n).openehr.query.templateIds);
    expect(orders).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
    ]);
    expect(cycleConfig(config, 7).export).toMatchObject({ mode: 'incremental', lockMode: 'fail' });
    expect(config.openehr.query.templateIds).toEqual(['a', 'b', 'c']);
  });
});
