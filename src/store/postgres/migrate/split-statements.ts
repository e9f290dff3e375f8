/** One SQL statement of a migration file and the line it starts on (1-based), for error reports. */
export interface SqlStatement {
  sql: string;
  line: number;
}

/**
 * Splits a SQL script at top-level semicolons, respecting quotes ('…', E'…', "…"), dollar quoting ($tag$…$tag$)
 * and comments (--, nested block comments). Statements that hold only comments are dropped. Migrations are run
 * statement by statement so a failure names the exact statement and line.
 */
export function splitStatements(script: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let i = 0;
  let hasCode = false;
  let codeStart = 0;
  const push = (end: number) => {
    if (hasCode) {
      const sql = script.slice(codeStart, end).trim();
      out.push({ sql, line: lineAt(script, codeStart) });
    }
    hasCode = false;
  };
  while (i < script.length) {
    const ch = script[i];
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
      i = endOfLine(script, i);
      continue;
    }
    if (ch === '/' && next === '*') {
      i = endOfBlockComment(script, i);
      continue;
    }
    if (!hasCode && !/\s/.test(ch ?? '') && ch !== ';') {
      hasCode = true;
      codeStart = i;
    }
    if (ch === ';') {
      push(i);
      i++;
      continue;
    }
    if (ch === "'") {
      const escapes = i > 0 && /[eE]/.test(script[i - 1] ?? '') && !/\w/.test(script[i - 2] ?? '');
      i = endOfQuoted(script, i, "'", escapes);
      continue;
    }
    if (ch === '"') {
      i = endOfQuoted(script, i, '"', false);
      continue;
    }
    if (ch === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i))?.[0];
      if (tag && !/\w/.test(script[i - 1] ?? '')) {
        const close = script.indexOf(tag, i + tag.length);
        i = close < 0 ? script.length : close + tag.length;
        continue;
      }
    }
    i++;
  }
  push(script.length);
  return out;
}

/** True for BEGIN / COMMIT / START TRANSACTION / END: the runner provides the transaction itself. */
export function isTransactionControl(sql: string): boolean {
  return /^(begin|start\s+transaction|commit|end)(\s+(work|transaction))?\s*$/i.test(sql.trim());
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl + 1;
}

function endOfBlockComment(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

function endOfQuoted(text: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < text.length) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}
