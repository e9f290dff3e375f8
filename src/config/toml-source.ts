import { readFile } from 'node:fs/promises';
import { parse, TomlDate, TomlError } from 'smol-toml';
import { ConfigError, coerceError } from '../errors.js';
import type { Issues } from './issues.js';
import { CONFIG_KEYS, leafOf } from './keys/index.js';
import { substituteVariables } from './substitute.js';
import { maskUrlsIn } from './url-secrets.js';

/**
 * Reads a configuration file: `key = null` lines (in all of the original's shipped examples, but not TOML)
 * are treated as unset with a warning, `${VAR}` placeholders are substituted, and the text is parsed.
 * Syntax errors report line and column and quote the line as written in the file (before substitution, so
 * a substituted secret is never echoed), unless that line may hold a secret (see quotableLine).
 */
export async function readTomlFile(
  file: string,
  env: NodeJS.ProcessEnv,
  issues: Issues,
): Promise<Record<string, unknown>> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read configuration file ${file}: ${coerceError(err).message}`, {
      cause: err,
    });
  }
  const text = commentOutNulls(raw, file, issues);
  const sub = substituteVariables(text, env);
  if (sub.missing.length > 0) {
    throw new ConfigError(
      `Missing required environment variables: ${sub.missing.join(', ')} (referenced as \${NAME} in ${file}; ` +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shows the ${VAR} placeholder syntax to users
        'set them, put them in .env, or write ${NAME:-default})',
    );
  }
  if (sub.unrepresentable.length > 0) {
    throw new ConfigError(
      `${file}: the value of ${sub.unrepresentable.join(', ')} cannot be placed in a single-quoted (literal) ` +
        'TOML string; use double quotes around the placeholder',
    );
  }
  try {
    return toPlain(parse(sub.text)) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    const line = quotableLine(raw.split(/\r?\n/)[err.line - 1] ?? '');
    // No cause: smol-toml's error message quotes the document around the error, secrets included.
    throw new ConfigError(
      `${file}:${err.line}:${err.column}: TOML syntax error: ${reason}${line ? `\n    ${line}` : ''}`,
    );
  }
}

const NULL_LINE = /^(\s*)([A-Za-z0-9_.\-"' ]+?)\s*=\s*null\s*(#.*)?$/;

function commentOutNulls(text: string, file: string, issues: Issues): string {
  return text
    .split('\n')
    .map((line, i) => {
      const m = NULL_LINE.exec(line.replace(/\r$/, ''));
      if (!m) return line;
      issues.warn(`${file}:${i + 1}: "${m[2]} = null" is not TOML; treated as unset (delete the line)`);
      return `${m[1]}# ${line.trimStart()}`;
    })
    .join('\n');
}

/** TOML dates become the text they were written as, so instant keys validate them like strings. */
function toPlain(value: unknown): unknown {
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

/** Leaf names of the secret keys (password, bearer_token, ...), and names that look like one. */
const SECRET_LEAVES = new Set(CONFIG_KEYS.filter((k) => k.secret).map((k) => leafOf(k.key)));
const SECRET_LOOKING = /pass|secret|token|key|credential|connection/i;
const KEY_VALUE = /^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\-" ]+?)\s*=/;
const TABLE_HEADER = /^\s*\[\[?[A-Za-z0-9_.\-"' ]+\]\]?\s*(#.*)?$/;

/**
 * The line of a syntax error as it may be shown: a table header, or `key = value` whose key is not (and
 * does not look like) a secret, with URL passwords masked; `key = ***` for a secret key; nothing for any
 * other line (it may be the continuation of a multi-line secret string).
 */
function quotableLine(line: string): string {
  const text = line.trim();
  if (TABLE_HEADER.test(text)) return text;
  const m = KEY_VALUE.exec(text);
  if (!m) return '';
  const key = m[1]!.replace(/["']/g, '').trim();
  const leaf = key.split('.').at(-1) ?? key;
  if (SECRET_LEAVES.has(leaf) || SECRET_LOOKING.test(leaf)) return `${key} = ${URL_MASK_TEXT}`;
  return maskUrlsIn(text);
}

const URL_MASK_TEXT = '*** (not shown: the value may be a secret)';
