// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax in TOML text
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { substituteVariables } from '../../../src/config/substitute.js';
import { load, loadError } from './helpers.js';

/** Substitutes and parses, as the loader does. */
function parsed(toml: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  return parse(substituteVariables(toml, env).text) as Record<string, unknown>;
}

describe('${VAR} substitution', () => {
  it('inserts values into double-quoted strings escaped, so quotes and backslashes cannot break the file', () => {
    const tricky = 'p"a\\ss\nword = "x"';
    expect(parsed('password = "${PW}"\n', { PW: tricky })).toEqual({ password: tricky });
    expect(parsed('password = """${PW}"""\n', { PW: tricky })).toEqual({ password: tricky });
  });

  it('inserts plain scalars verbatim outside quotes, and anything else as a quoted string', () => {
    const env = { N: '250', B: 'true', LIST: '["a", "b"]', S: 'not a number' };
    expect(parsed('n = ${N}\nb = ${B}\nl = ${LIST}\ns = ${S}\n', env)).toEqual({
      n: 250,
      b: true,
      l: ['a', 'b'],
      s: 'not a number',
    });
  });

  it('keeps line numbers: a value with a newline becomes an escape, not a new line', () => {
    const out = substituteVariables('a = "${V}"\nb = 1\n', { V: 'x\ny' }).text;
    expect(out.split('\n')).toHaveLength(3);
  });

  it('uses ${VAR:-default} when the variable is unset or empty', () => {
    expect(
      parsed('a = "${A:-fallback}"\nb = "${B:-fallback}"\nc = "${C:-fallback}"\n', { B: '', C: 'set' }),
    ).toEqual({
      a: 'fallback',
      b: 'fallback',
      c: 'set',
    });
  });

  it('reports every missing variable once, in order', () => {
    const sub = substituteVariables('a = "${ONE}"\nb = "${TWO}"\nc = "${ONE}"\n', {});
    expect(sub.missing).toEqual(['ONE', 'TWO']);
  });

  it('leaves comments, lower-case names and literal strings of other text alone', () => {
    const toml = '# uses ${NOT_SET}\na = "${lower}" # ${ALSO_NOT_SET}\nb = \'${LIT}\'\n';
    const sub = substituteVariables(toml, { LIT: 'lit' });
    expect(sub.missing).toEqual([]);
    expect(parse(sub.text)).toEqual({ a: '${lower}', b: 'lit' });
  });

  it('refuses a value that cannot live in a single-quoted literal string', () => {
    expect(substituteVariables("a = '${Q}'\n", { Q: "it's" }).unrepresentable).toEqual(['Q']);
  });

  it('does not treat a quote inside a basic string escape as the end of the string', () => {
    expect(parsed('a = "say \\"${W}\\""\n', { W: 'hi' })).toEqual({ a: 'say "hi"' });
  });
});

describe('${VAR} through loadConfig', () => {
  it('fails with all missing variables listed together', async () => {
    const toml =
      '[openehr]\nbase_url = "${CDR}"\nusername = "${ATLAS_OPENEHR_USERNAME}"\npassword = "${ATLAS_OPENEHR_PASSWORD}"\n';
    const message = await loadError(toml);
    expect(message).toContain(
      'Missing required environment variables: CDR, ATLAS_OPENEHR_USERNAME, ATLAS_OPENEHR_PASSWORD',
    );
  });

  it('loads a password with quotes and backslashes intact', async () => {
    const toml = '[openehr]\nbase_url = "http://127.0.0.1:8080"\nusername = "u"\npassword = "${PW}"\n';
    const { config } = await load(toml, { env: { PW: 'a"b\\c' } });
    expect(config.openehr.password).toBe('a"b\\c');
  });

  it("reports a TOML syntax error with line and column; a secret key's line is not echoed (issue 16)", async () => {
    const toml = '[openehr]\nbase_url = "http://127.0.0.1:8080"\npassword = ${PW} oops\n';
    const message = await loadError(toml, { env: { PW: 'hunter2' } });
    expect(message).toMatch(/atlas\.toml:3:\d+: TOML syntax error/);
    expect(message).toContain('password = *** (not shown: the value may be a secret)');
    expect(message).not.toContain('oops');
    expect(message).not.toContain('hunter2');
  });
  it('quotes the line of a TOML syntax error when its key is not a secret, URL passwords masked', async () => {
    const toml = '[openehr]\nbase_url = "http://me:Pw#1/x?@127.0.0.1:8080" oops\n';
    const message = await loadError(toml);
    expect(message).toMatch(/atlas\.toml:2:\d+: TOML syntax error/);
    expect(message).toContain('base_url = "http://me:***@127.0.0.1:8080" oops');
    expect(message).not.toContain('Pw#1');
  });
});
