// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the test file contains a ${VAR} placeholder
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

/** Runs the built CLI in `cwd` with a clean environment (no ATLAS_* of the test run leaks in). */
function atlas(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'atlas-e2e-config-'));

describe('atlas init + atlas validate-config (built CLI)', () => {
  it.each([
    ['minimal', []],
    ['--with-examples', ['--with-examples']],
  ])('init (%s) writes a file that validate-config accepts', (_variant, extra) => {
    const dir = tmp();
    const init = atlas(dir, ['init', ...extra]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`Configuration written: ${join(dir, 'atlas.toml')}`);
    const validate = atlas(dir, ['validate-config']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('✓ configuration is valid');
    expect(validate.stdout).toContain('http://127.0.0.1:8080/ehrbase/rest/openehr/v1');
    expect(validate.stdout).toMatch(/database\s+embedded, in /);
    expect(validate.stderr).toBe('');
  });

  it('init refuses to overwrite (exit 2) unless --force', () => {
    const dir = tmp();
    expect(atlas(dir, ['init', '-o', 'my.toml']).code).toBe(0);
    writeFileSync(join(dir, 'my.toml'), '# edited\n');
    const again = atlas(dir, ['init', '-o', 'my.toml']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'my.toml'), 'utf8')).toBe('# edited\n');
    expect(atlas(dir, ['init', '-o', 'my.toml', '--force']).code).toBe(0);
  });

  it('accepts -c before and after the subcommand', () => {
    const dir = tmp();
    atlas(dir, ['init', '-o', 'conf.toml']);
    for (const args of [
      ['-c', 'conf.toml', 'validate-config'],
      ['validate-config', '-c', 'conf.toml'],
      ['validate-config', '--config=conf.toml'],
    ]) {
      const r = atlas(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(join(dir, 'conf.toml'));
    }
  });

  it('exits 2 listing every problem, with secrets masked', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'atlas.toml'),
      '[openehr]\nbase_url = "http://127.0.0.1:8080"\nauth_type = "basic"\nusername = "u"\npassword = "${PW}"\n' +
        '[openehr.query]\nbatchsize = 10\n[export]\nmode = "sometimes"\n',
    );
    const r = atlas(dir, ['validate-config'], { PW: 'hunter2', ATLAS_EXPORT_MAX_RETRIES: '99' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('3 configuration errors');
    expect(r.stderr).toContain('openehr.query.batchsize');
    expect(r.stderr).toContain('did you mean openehr.query.batch_size?');
    expect(r.stderr).toContain('export.mode = "sometimes"');
    expect(r.stderr).toContain('export.max_retries = "99" (from ATLAS_EXPORT_MAX_RETRIES)');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('exits 2 for a named configuration file that does not exist, and for an invalid -l', () => {
    const dir = tmp();
    const missing = atlas(dir, ['validate-config', '-c', 'nope.toml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('configuration file not found');
    atlas(dir, ['init']);
    const level = atlas(dir, ['validate-config', '-l', 'loud']);
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('application.log_level = "loud" (from --log-level)');
  });

  it('runs from the environment alone when there is no atlas.toml', () => {
    const r = atlas(tmp(), ['validate-config'], {
      ATLAS_OPENEHR_BASE_URL: 'http://127.0.0.1:8080/ehrbase',
      ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: 'a.v1,b.v1',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no file (defaults and ATLAS_* variables only)');
    expect(r.stdout).toMatch(/templates\s+a\.v1, b\.v1/);
  });

  it('warns when no template is configured', () => {
    const r = atlas(tmp(), ['validate-config'], { ATLAS_OPENEHR_BASE_URL: 'http://127.0.0.1:8080' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: openehr.query.template_ids is empty');
  });
});
