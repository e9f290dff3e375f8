/** Tokenizer for the AQL subset; tokens carry line/column for EHRbase-like parse error messages. */

export type TokenType = 'ident' | 'string' | 'number' | 'param' | 'symbol' | 'eof';

export interface Token {
  type: TokenType;
  text: string;
  /** Upper-cased text of identifiers, for keyword checks. */
  upper: string;
  line: number;
  col: number;
  /** Offset in the query text. */
  pos: number;
}

export class AqlSyntaxError extends Error {}

const SYMBOLS = ['!=', '<>', '>=', '<=', '=', '>', '<', '(', ')', '[', ']', '{', '}', ',', '/', '*', '-'];

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

export function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (start: number) => ({ line, col: start - lineStart, pos: start });
  while (i < q.length) {
    const c = q[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && q[i + 1] === '-') {
      while (i < q.length && q[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      while (i < q.length && q[i] !== c) {
        if (q[i] === '\\' && i + 1 < q.length) {
          const n = q[i + 1]!;
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else value += q[i++];
      }
      if (i >= q.length) {
        const p = at(start);
        throw new AqlSyntaxError(`line ${p.line}:${p.col} token recognition error at: '${q.slice(start)}'`);
      }
      i++;
      tokens.push({ type: 'string', text: value, upper: '', ...at(start) });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < q.length && /[0-9]/.test(q[i]!)) i++;
      if (q[i] === '.' && /[0-9]/.test(q[i + 1] ?? '')) {
        i++;
        while (i < q.length && /[0-9]/.test(q[i]!)) i++;
      }
      if (/[eE]/.test(q[i] ?? '') && /[-+0-9]/.test(q[i + 1] ?? '')) {
        i += 2;
        while (i < q.length && /[0-9]/.test(q[i]!)) i++;
      }
      tokens.push({ type: 'number', text: q.slice(start, i), upper: '', ...at(start) });
      continue;
    }
    if (c === '$') {
      i++;
      while (i < q.length && isIdentPart(q[i]!)) i++;
      tokens.push({ type: 'param', text: q.slice(start + 1, i), upper: '', ...at(start) });
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      // Archetype ids (openEHR-EHR-OBSERVATION.x.v1) and at-codes (at0001.1) are single tokens.
      while (i < q.length && (isIdentPart(q[i]!) || (/[-.]/.test(q[i]!) && isIdentPart(q[i + 1] ?? '')))) i++;
      const text = q.slice(start, i);
      tokens.push({ type: 'ident', text, upper: text.toUpperCase(), ...at(start) });
      continue;
    }
    const sym = SYMBOLS.find((s) => q.startsWith(s, i));
    if (!sym) {
      const p = at(start);
      throw new AqlSyntaxError(`line ${p.line}:${p.col} token recognition error at: '${c}'`);
    }
    i += sym.length;
    tokens.push({ type: 'symbol', text: sym === '<>' ? '!=' : sym, upper: '', ...at(start) });
  }
  tokens.push({ type: 'eof', text: '<EOF>', upper: '', ...at(i) });
  return tokens;
}
