import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { etaSeconds, formatEta, formatRate, progressRecord } from '../../../../src/cli/progress/format.js';
import { logLineProgress } from '../../../../src/cli/progress/log-lines.js';

describe('progress formatting', () => {
  it('formats rates and ETAs', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(3.25)).toBe('3.3/s');
    expect(formatRate(12345.6)).toBe('12,346/s');
    expect(formatEta(undefined)).toBe('?');
    expect(formatEta(42.4)).toBe('42s');
    expect(formatEta(185)).toBe('3m05s');
    expect(formatEta(3720)).toBe('1h02m');
  });

  it('estimates from the rate so far', () => {
    const state = { templateId: 'T', done: 100, total: 400, startedAt: 0 };
    expect(etaSeconds(state, 10_000)).toBe(30);
    expect(etaSeconds({ ...state, done: 0 }, 10_000)).toBeUndefined();
    expect(progressRecord(state, 10_000)).toEqual({
      templateId: 'T',
      done: 100,
      total: 400,
      ratePerSecond: 10,
      etaSeconds: 30,
    });
  });
});

describe('logLineProgress', () => {
  it('logs one structured line per template when it finishes', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const logger = pino({ level: 'info' }, out);
    let t = 0;
    const sink = logLineProgress(logger, 60_000, () => t);
    sink.templateStarted('T', 50);
    t = 5000;
    sink.templateProgress('T', 25, 50);
    sink.templateFinished('T', 'completed');
    sink.stop();
    await new Promise((r) => setImmediate(r));
    const lines = chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; progress: unknown });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toBe('template finished');
    expect(lines[0]?.progress).toEqual({
      templateId: 'T',
      done: 25,
      total: 50,
      ratePerSecond: 5,
      etaSeconds: 5,
      status: 'completed',
    });
  });
});
