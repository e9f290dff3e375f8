/**
 * `${VAR}` substitution in the raw TOML text, like the original (upper-case names only, all missing names
 * reported together) but safe: a value is escaped for the string it lands in, so a password containing `"`
 * or `\` cannot break or rewrite the file; outside quotes, anything that is not a plain TOML scalar is
 * inserted as a quoted string. `${VAR:-default}` uses the default when VAR is unset or empty. Comments are
 * left alone. Newlines are never introduced, so TOML error positions still match the file.
 */
export interface Substitution {
  readonly text: string;
  /** Variables referenced without a default and not set, de-duplicated, in order of appearance. */
  readonly missing: string[];
  /** Placeholders whose value cannot be written into a literal ('...') string. */
  readonly unrepresentable: string[];
}

type State = 'plain' | 'comment' | 'basic' | 'literal' | 'mlBasic' | 'mlLiteral';

const PLACEHOLDER = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}\n]*))?\}/y;
const BARE_SCALAR =
  /^(?:[+-]?\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?|true|false|[+-]?(?:inf|nan)|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)$/;

export function escapeBasic(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/\u007f/g, '\\u007F');
}

function insert(value: string, state: State, name: string, bad: string[]): string {
  switch (state) {
    case 'basic':
    case 'mlBasic':
      return escapeBasic(value);
    case 'literal':
      if (/['\n\r]/.test(value)) bad.push(name);
      return value;
    case 'mlLiteral':
      if (value.includes("'''")) bad.push(name);
      return value;
    default: {
      const t = value.trim();
      const structured = /^[[{]/.test(t) && !/[\n\r]/.test(t);
      return BARE_SCALAR.test(t) || structured ? t : `"${escapeBasic(value)}"`;
    }
  }
}

export function substituteVariables(text: string, env: NodeJS.ProcessEnv): Substitution {
  const missing: string[] = [];
  const unrepresentable: string[] = [];
  let out = '';
  let state: State = 'plain';
  let i = 0;
  const at = (s: string) => text.startsWith(s, i);
  const copy = (n: number) => {
    out += text.slice(i, i + n);
    i += n;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '$' && state !== 'comment') {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(text);
      if (m) {
        const [whole, name, fallback] = m as unknown as [string, string, string | undefined];
        const set = env[name];
        let value: string | undefined = set;
        if (fallback !== undefined && (set === undefined || set === '')) value = fallback;
        if (value === undefined) {
          if (!missing.includes(name)) missing.push(name);
          value = '';
        }
        out += insert(value, state, name, unrepresentable);
        i += whole.length;
        continue;
      }
    }
    if (state === 'plain') {
      if (c === '#') state = 'comment';
      else if (at('"""')) {
        state = 'mlBasic';
        copy(3);
        continue;
      } else if (at("'''")) {
        state = 'mlLiteral';
        copy(3);
        continue;
      } else if (c === '"') state = 'basic';
      else if (c === "'") state = 'literal';
    } else if (state === 'comment') {
      if (c === '\n') state = 'plain';
    } else if (state === 'basic' || state === 'mlBasic') {
      if (c === '\\') {
        copy(2);
        continue;
      }
      if (state === 'mlBasic' && at('"""')) {
        state = 'plain';
        copy(3);
        continue;
      }
      if (state === 'basic' && (c === '"' || c === '\n')) state = 'plain';
    } else if (state === 'literal') {
      if (c === "'" || c === '\n') state = 'plain';
    } else if (at("'''")) {
      state = 'plain';
      copy(3);
      continue;
    }
    copy(1);
  }
  return { text: out, missing, unrepresentable };
}
