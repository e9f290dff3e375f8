import { describe, expect, it } from 'vitest';
import { runHandedOff } from '../../../src/export/handoff.js';

/** A task the test drives by hand: it hands off and ends when told to. */
interface Driven {
  handOff: () => void;
  end: () => void;
  fail: (err: Error) => void;
}

function driver() {
  const events: string[] = [];
  const tasks = new Map<string, Driven>();
  const start = (item: string, handOff: () => void) =>
    new Promise<void>((resolve, reject) => {
      events.push(`start ${item}`);
      tasks.set(item, {
        handOff,
        end: () => {
          events.push(`end ${item}`);
          resolve();
        },
        fail: (err) => {
          events.push(`fail ${item}`);
          reject(err);
        },
      });
    });
  return { events, tasks, start };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runHandedOff', () => {
  it('starts the next item when the previous one hands off, never more than two at once', async () => {
    const { events, tasks, start } = driver();
    const run = runHandedOff(['a', 'b', 'c'], start, () => false);
    await tick();
    expect(events).toEqual(['start a']);
    tasks.get('a')!.handOff();
    await tick();
    expect(events).toEqual(['start a', 'start b']);
    // b hands off at once, but c must wait until a (two before it) has ended.
    tasks.get('b')!.handOff();
    await tick();
    expect(events).toEqual(['start a', 'start b']);
    tasks.get('a')!.end();
    await tick();
    expect(events).toEqual(['start a', 'start b', 'end a', 'start c']);
    tasks.get('c')!.end();
    tasks.get('b')!.end();
    await run;
    expect(events.slice(-2)).toEqual(['end c', 'end b']);
  });

  it('starts the next item when the previous one ends without handing off', async () => {
    const { events, tasks, start } = driver();
    const run = runHandedOff(['a', 'b'], start, () => false);
    await tick();
    tasks.get('a')!.end();
    await tick();
    expect(events).toEqual(['start a', 'end a', 'start b']);
    tasks.get('b')!.end();
    await run;
  });

  it('starts nothing more once told to stop, and waits for what runs', async () => {
    const { events, tasks, start } = driver();
    let stop = false;
    const run = runHandedOff(['a', 'b', 'c'], start, () => stop);
    await tick();
    tasks.get('a')!.handOff();
    await tick();
    stop = true;
    tasks.get('b')!.handOff();
    tasks.get('a')!.end();
    await tick();
    let settled = false;
    void run.then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false);
    tasks.get('b')!.end();
    await run;
    expect(events).toEqual(['start a', 'start b', 'end a', 'end b']);
  });

  it('rethrows the first failure once every started item has ended', async () => {
    const { events, tasks, start } = driver();
    const run = runHandedOff(['a', 'b'], start, () => false);
    await tick();
    tasks.get('a')!.handOff();
    await tick();
    tasks.get('a')!.fail(new Error('a broke'));
    await tick();
    expect(events).toEqual(['start a', 'start b', 'fail a']);
    tasks.get('b')!.end();
    await expect(run).rejects.toThrow('a broke');
    expect(events).toEqual(['start a', 'start b', 'fail a', 'end b']);
  });

  it('starts nothing more once an item rejected, even if it had handed off', async () => {
    const { events, tasks, start } = driver();
    const run = runHandedOff(['a', 'b', 'c'], start, () => false);
    await tick();
    tasks.get('a')!.handOff();
    await tick();
    tasks.get('a')!.fail(new Error('a broke'));
    tasks.get('b')!.handOff();
    await tick();
    tasks.get('b')!.end();
    await expect(run).rejects.toThrow('a broke');
    expect(events).toEqual(['start a', 'start b', 'fail a', 'end b']);
  });
});
