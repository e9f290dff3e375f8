import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { confirmationText, confirmExport } from '../../../src/cli/commands/export-confirm.js';
import type { AtlasConfig } from '../../../src/config/types.js';
import type { AppContext } from '../../../src/context.js';

function ctx(assumeYes = false): AppContext {
  const config = {
    databaseTarget: 'postgresql',
    postgresql: {
      connectionString: 'postgresql://atlas:S3cret-pw@db.example:5432/openehr',
      schema: 'public',
    },
    embedded: { path: './atlas-data' },
    export: { mode: 'incremental', assumeYes },
    openehr: { query: { templateIds: ["O'Brien.v1", 'vital_signs.v1'], ehrIds: [], batchSize: 500 } },
  } as unknown as AtlasConfig;
  return { config, logger: pino({ level: 'silent' }), signal: new AbortController().signal };
}

function terminal(answer?: string) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true });
  let shown = '';
  output.on('data', (c: Buffer) => {
    shown += c.toString();
  });
  if (answer !== undefined) setTimeout(() => input.write(`${answer}\n`), 5);
  return { io: { input, output }, shown: () => shown };
}

describe('export confirmation', () => {
  it('shows mode, templates, EHRs, target without its password, batch size', () => {
    const text = confirmationText(ctx());
    expect(text).toContain('Mode: incremental');
    expect(text).toContain(`Templates: "O'Brien.v1", "vital_signs.v1"`);
    expect(text).toContain('EHRs: all');
    expect(text).toContain(
      'Target: PostgreSQL postgresql://atlas:***@db.example:5432/openehr (schema public)',
    );
    expect(text).toContain('Batch size: 500');
    expect(text).not.toContain('S3cret-pw');
  });

  it('asks on a terminal and proceeds only on y/yes', async () => {
    for (const [answer, proceeds] of [
      ['y', true],
      ['YES', true],
      ['n', false],
      ['', false],
    ] as const) {
      const t = terminal(answer);
      expect(await confirmExport(ctx(), t.io)).toBe(proceeds);
      expect(t.shown()).toContain('Proceed with export? [y/N]: ');
    }
  });

  it('Ctrl+C at the prompt cancels', async () => {
    const t = terminal();
    setTimeout(() => t.io.input.write('\u0003'), 5);
    expect(await confirmExport(ctx(), t.io)).toBe(false);
  });

  it('never asks when stdin or stdout is not a terminal, or with --yes', async () => {
    const notTty = { input: new PassThrough(), output: Object.assign(new PassThrough(), { isTTY: true }) };
    expect(await confirmExport(ctx(), notTty)).toBe(true);
    const t = terminal();
    expect(await confirmExport(ctx(true), t.io)).toBe(true);
    expect(t.shown()).toBe('');
  });
});
