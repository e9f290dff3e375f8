import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { installShutdown } from '../../../src/cli/signals.js';

function setup(timeoutSeconds = 30) {
  const target = new EventEmitter();
  const written: string[] = [];
  const exits: number[] = [];
  const shutdown = installShutdown({
    timeoutSeconds,
    write: (t) => written.push(t),
    exit: (c) => exits.push(c),
    target,
  });
  return { target, written, exits, shutdown };
}

describe('installShutdown', () => {
  it('first SIGTERM aborts the run and sets 143; a second signal exits at once', () => {
    const { target, written, exits, shutdown } = setup();
    expect(shutdown.signal.aborted).toBe(false);
    expect(shutdown.exitCode()).toBeUndefined();
    target.emit('SIGTERM');
    expect(shutdown.signal.aborted).toBe(true);
    expect(shutdown.exitCode()).toBe(143);
    expect(exits).toEqual([]);
    expect(written.join('')).toContain('SIGTERM received: finishing the batch in flight (up to 30s)');
    target.emit('SIGINT');
    expect(exits).toEqual([143]);
    shutdown.dispose();
  });

  it('SIGINT gives 130', () => {
    const { target, shutdown } = setup();
    target.emit('SIGINT');
    expect(shutdown.exitCode()).toBe(130);
    shutdown.dispose();
  });

  it('exits with the interrupted code when the grace period runs out', () => {
    vi.useFakeTimers();
    try {
      const { target, exits, shutdown } = setup(30);
      shutdown.setTimeoutSeconds(5);
      target.emit('SIGINT');
      vi.advanceTimersByTime(4999);
      expect(exits).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(exits).toEqual([130]);
      shutdown.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('dispose removes the handlers and the timer', () => {
    vi.useFakeTimers();
    try {
      const { target, exits, shutdown } = setup(1);
      target.emit('SIGTERM');
      shutdown.dispose();
      vi.advanceTimersByTime(5000);
      expect(exits).toEqual([]);
      expect(target.listenerCount('SIGTERM')).toBe(0);
      expect(target.listenerCount('SIGINT')).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
