import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import {
  registerTemplateConvert,
  type TemplateConvertDeps,
} from '../../../src/cli/commands/template-convert.js';
import { FIXTURES } from '../template/codec-support.js';

const WT = join(FIXTURES, 'web-templates', 'corona_anamnese.json');
const CANONICAL = join(FIXTURES, 'compositions', 'canonical', 'compo_corona.json');
const FLAT = join(FIXTURES, 'compositions', 'flat', 'corona.json');

async function run(
  args: string[],
  deps: TemplateConvertDeps = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('atlas').exitOverride();
  registerTemplateConvert(program.command('template'), { write: (t) => (out += t), ...deps });
  const origErr = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((t: string) => {
    err += t;
    return true;
  }) as typeof process.stderr.write;
  try {
    process.exitCode = 0;
    await program.parseAsync(['node', 'atlas', 'template', ...args]);
  } finally {
    process.stderr.write = origErr;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

afterEach(() => {
  process.exitCode = 0;
});

describe('atlas template to-flat / to-canonical', () => {
  it('to-flat prints the FLAT of a canonical composition as EHRbase prints it (39.0)', async () => {
    const r = await run(['to-flat', CANONICAL, '--web-template', WT]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('"bericht/symptome/körpertemperatur/temperatur|magnitude" : 39.0');
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(FLAT, 'utf8')));
  });

  it('to-canonical reads standard input with -', async () => {
    const { readFileSync } = await import('node:fs');
    const r = await run(['to-canonical', '-', '--web-template', WT], {
      readStdin: async () => readFileSync(FLAT, 'utf8'),
    });
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out);
    expect(c._type).toBe('COMPOSITION');
    expect(c.archetype_details.template_id.value).toBe('Corona_Anamnese');
  });

  it('a FLAT key the template does not have is exit 2 naming the key, and nothing is printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-tpl-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ 'bericht/context/start_time': '2020-01-01T00:00:00Z', 'bericht/nope|code': 'x' }),
    );
    const r = await run(['to-canonical', file, '--web-template', WT]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('Could not consume Parts [bericht/nope|code]');
  });

  it('a value of the wrong type is exit 2 naming the key', async () => {
    const r = await run(['to-canonical', '-', '--web-template', WT], {
      readStdin: async () =>
        JSON.stringify({ 'bericht/symptome/körpertemperatur/temperatur|magnitude': 'hot' }),
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      '"bericht/symptome/körpertemperatur/temperatur|magnitude": expected a number, got "hot"',
    );
  });

  it('--template uses the OPT generator it is given; without one it says to use --web-template (exit 2)', async () => {
    const { readFileSync } = await import('node:fs');
    const wt = JSON.parse(readFileSync(WT, 'utf8'));
    let seen = '';
    const opt = join(FIXTURES, 'templates', 'corona_anamnese.opt');
    const ok = await run(['to-flat', CANONICAL, '--template', opt], {
      webTemplateFromOpt: (_xml, source) => {
        seen = source;
        return wt;
      },
    });
    expect([ok.code, seen]).toEqual([0, opt]);
    const missing = await run(['to-flat', CANONICAL, '--template', opt]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('use --web-template');
    const neither = await run(['to-flat', CANONICAL]);
    expect(neither.code).toBe(2);
    const unreadable = await run(['to-flat', '/nonexistent/x.json', '--web-template', WT]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toContain('/nonexistent/x.json');
  });
});
