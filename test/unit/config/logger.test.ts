// biome-ignore-all lint/suspicious/noTemplateCurlyInString: a test configuration uses a ${VAR} placeholder
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { withCliContext } from '../../../src/cli/cli-context.js';
import { createLogger } from '../../../src/cli/logger.js';
import { RotatingFile } from '../../../src/cli/logger-file.js';
import { formatPrettyLine } from '../../../src/cli/logger-pretty.js';
import { load, MINIMAL, workdir } from './helpers.js';

function sink(isTTY = false) {
  const lines: string[] = [];
  return { lines, stream: { isTTY, write: (s: string) => lines.push(s) } };
}

describe('createLogger', () => {
  it('writes JSON lines with secrets and composition content redacted at any depth', async () => {
    const { config } = await load(MINIMAL);
    const out = sink();
    const { logger, close } = createLogger(config, { stderr: out.stream });
    logger.info(
      {
        password: 'p1',
        request: { headers: { authorization: 'Basic abc' } },
        db: { connectionString: 'postgres://u:p@h/d' },
        composition: { x: 1 },
      },
      'hello',
    );
    close();
    const entry = JSON.parse(out.lines.join('')) as Record<string, unknown>;
    expect(entry.msg).toBe('hello');
    expect(entry.password).toBe('***');
    expect(entry.request).toEqual({ headers: { authorization: '***' } });
    expect(entry.db).toEqual({ connectionString: '***' });
    expect(entry.composition).toBe('[composition omitted]');
  });

  it('honours the configured level', async () => {
    const { config } = await load(`[application]\nlog_level = "warn"\n${MINIMAL}`);
    const out = sink();
    const { logger } = createLogger(config, { stderr: out.stream });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines.join('')).not.toContain('hidden');
    expect(out.lines.join('')).toContain('shown');
  });

  it('writes human-readable lines in pretty format, still redacted', async () => {
    const { config } = await load(`[application]\nlog_format = "pretty"\n${MINIMAL}`);
    const out = sink();
    createLogger(config, { stderr: out.stream }).logger.warn(
      { template: 'vital signs.v1', token: 't0p' },
      'slow server',
    );
    const line = out.lines.join('');
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}slow server template="vital signs.v1" token=\*\*\*\n$/,
    );
  });

  it('formats a non-JSON chunk as it is', () => {
    expect(formatPrettyLine('plain text', false)).toBe('plain text\n');
  });

  it('also writes JSON lines to a daily file when logging.local_enabled', async () => {
    const dir = workdir();
    const { config } = await load(MINIMAL, {
      env: { ATLAS_LOGGING_LOCAL_ENABLED: 'true', ATLAS_LOGGING_LOCAL_PATH: join(dir, 'logs') },
    });
    const { logger, close } = createLogger(config, {
      stderr: sink().stream,
      now: () => new Date('2025-03-04T10:00:00Z'),
    });
    logger.info({ secret: 's' }, 'to file');
    close();
    const text = readFileSync(join(dir, 'logs', 'atlas.log.2025-03-04'), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ msg: 'to file', secret: '***' });
  });
});

describe('RotatingFile', () => {
  it('daily: switches files when the UTC date changes', () => {
    const dir = workdir();
    let now = new Date('2025-01-01T23:59:59Z');
    const file = new RotatingFile({ dir, rotation: 'daily', maxBytes: 1, now: () => now });
    file.write('a\n');
    now = new Date('2025-01-02T00:00:01Z');
    file.write('b\n');
    file.close();
    expect(readdirSync(dir).sort()).toEqual(['atlas.log.2025-01-01', 'atlas.log.2025-01-02']);
    expect(readFileSync(join(dir, 'atlas.log.2025-01-02'), 'utf8')).toBe('b\n');
  });

  it('size: rolls atlas.log over before it would exceed the limit', () => {
    const dir = workdir();
    const file = new RotatingFile({
      dir,
      rotation: 'size',
      maxBytes: 10,
      now: () => new Date('2025-01-01T00:00:00Z'),
    });
    for (const line of ['12345\n', '67890\n', 'abcde\n', 'fghij\n']) file.write(line);
    file.close();
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(4);
    expect(readFileSync(join(dir, 'atlas.log'), 'utf8')).toBe('fghij\n');
    for (const name of names) expect(readFileSync(join(dir, name), 'utf8').length).toBeLessThanOrEqual(10);
  });
});

describe('withCliContext', () => {
  function command(argv: string[]): Promise<Command> {
    // The global options as src/cli/main.ts declares them (importing main.ts would run the CLI).
    const program = new Command('atlas')
      .option('-c, --config <file>')
      .option('-l, --log-level <level>')
      .option('--log-format <format>')
      .exitOverride();
    return new Promise((resolve) => {
      program.command('probe').action((_opts, cmd: Command) => resolve(cmd));
      void program.parseAsync(argv, { from: 'user' });
    });
  }

  it('loads the file named by -c after the subcommand, applies -l, prints warnings and passes the signal', async () => {
    const cwd = workdir({ 'alt.toml': `${MINIMAL}[openehr.query]\ntime_range_end = null\n` });
    const cmd = await command(['probe', '-c', 'alt.toml', '-l', 'debug']);
    const err = sink();
    const controller = new AbortController();
    const code = await withCliContext(
      cmd,
      { mode: 'full' },
      async (ctx, info) => {
        expect(ctx.config.application.logLevel).toBe('debug');
        expect(ctx.config.export.mode).toBe('full');
        expect(ctx.signal).toBe(controller.signal);
        expect(info.configFile).toBe(join(cwd, 'alt.toml'));
        ctx.logger.debug('inside');
        return 7;
      },
      { cwd, env: {}, stderr: err.stream, signal: controller.signal },
    );
    expect(code).toBe(7);
    expect(err.lines[0]).toMatch(/^warning: .*time_range_end = null/);
    expect(err.lines.join('')).toContain('"msg":"inside"');
  });

  it('logs the loaded configuration at debug level with every secret masked', async () => {
    const cwd = workdir({ 'atlas.toml': `${MINIMAL}username = "u"\npassword = "\${PW}"\n` });
    const cmd = await command(['probe', '-l', 'debug']);
    const err = sink();
    const env = {
      PW: 'pw-must-not-appear',
      ATLAS_POSTGRESQL_CONNECTION_STRING: 'postgres://a:db-secret@127.0.0.1/x',
    };
    await withCliContext(cmd, {}, async () => {}, { cwd, env, stderr: err.stream });
    const text = err.lines.join('');
    expect(text).toContain('"msg":"configuration loaded"');
    expect(text).not.toContain('pw-must-not-appear');
    expect(text).not.toContain('db-secret');
  });

  it('returns 0 when the body returns nothing, and closes the logger when it throws', async () => {
    const cwd = workdir({ 'atlas.toml': MINIMAL });
    const cmd = await command(['-c', 'atlas.toml', 'probe']);
    const options = { cwd, env: {}, stderr: sink().stream };
    expect(await withCliContext(cmd, {}, async () => {}, options)).toBe(0);
    await expect(
      withCliContext(
        cmd,
        {},
        async () => {
          throw new Error('boom');
        },
        options,
      ),
    ).rejects.toThrow('boom');
  });
});
