import { describe, expect, it } from 'vitest';
import { InProcessTemplateLocks } from '../../../src/store/embedded/template-locks.js';
import { TemplateLockedError } from '../../../src/store/template-locked-error.js';

describe('InProcessTemplateLocks', () => {
  it('fail mode refuses a held template with a TemplateLockedError; other templates are free', async () => {
    const locks = new InProcessTemplateLocks('the embedded database in /x');
    const release = await locks.lock('T', 'fail');
    const err = await locks.lock('T', 'fail').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateLockedError);
    expect((err as TemplateLockedError).templateId).toBe('T');
    expect((err as Error).message).toMatch(
      /template T is locked: another Atlas export is running on it against the embedded database in \/x/,
    );
    await (await locks.lock('U', 'fail'))();
    await release();
    await release(); // idempotent
    await (await locks.lock('T', 'fail'))();
  });

  it('wait mode hands the lock to one waiter at a time', async () => {
    const locks = new InProcessTemplateLocks('here');
    const first = await locks.lock('T', 'wait');
    const holders: Array<() => Promise<void>> = [];
    const waiter = () => locks.lock('T', 'wait').then((release) => void holders.push(release));
    const waiters = [waiter(), waiter()];
    expect(holders).toHaveLength(0);
    await first();
    await Promise.race(waiters);
    expect(holders).toHaveLength(1);
    await holders[0]!();
    await Promise.all(waiters);
    expect(holders).toHaveLength(2);
    await holders[1]!();
  });

  it('an aborted waiter rejects with the abort reason and does not take the lock', async () => {
    const locks = new InProcessTemplateLocks('here');
    const release = await locks.lock('T', 'fail');
    const controller = new AbortController();
    const waiting = locks.lock('T', 'wait', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await release();
    await (await locks.lock('T', 'fail'))();
  });
});
