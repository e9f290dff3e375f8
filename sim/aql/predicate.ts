import type { ComparisonOp, Literal, Predicate, PredicateCondition } from './ast.js';
import type { Token } from './lexer.js';

export const COMPARISON = new Set(['=', '!=', '>', '>=', '<', '<=']);

const NODE_ID_RE = /^(at|id)\d+(\.\d+)*$|^openEHR-/;

/** `[...]` contents: version selector, node id (+ name), or path comparisons joined by and/or. */
export function parsePredicate(
  raw: string,
  tokens: Token[],
  fail: (t: Token, e: string) => never,
): Predicate {
  const pred: Predicate = { raw, conditions: [], hasOr: false };
  const eof: Token = { type: 'eof', text: ']', upper: '', line: 0, col: 0, pos: 0 };
  let i = 0;
  const peek = () => tokens[i] ?? eof;
  if (
    tokens.length === 1 &&
    tokens[0]!.type === 'ident' &&
    /^(LATEST_VERSION|ALL_VERSIONS)$/.test(tokens[0]!.upper)
  ) {
    pred.version = tokens[0]!.upper as 'LATEST_VERSION' | 'ALL_VERSIONS';
    return pred;
  }
  const literal = (): Literal => {
    const t = tokens[i++] ?? eof;
    if (t.type === 'string') return { kind: 'string', value: t.text };
    if (t.type === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.type === 'param') return { kind: 'param', name: t.text };
    if (t.type === 'ident' && (t.upper === 'TRUE' || t.upper === 'FALSE'))
      return { kind: 'boolean', value: t.upper === 'TRUE' };
    return fail(t, 'a literal or parameter');
  };
  for (;;) {
    const t = peek();
    if (
      t.type === 'ident' &&
      NODE_ID_RE.test(t.text) &&
      (tokens[i + 1]?.text ?? ']') !== '/' &&
      !COMPARISON.has(tokens[i + 1]?.text ?? '')
    ) {
      i++;
      pred.nodeId = t.text;
      if (peek().text === ',') {
        i++;
        pred.name = literal();
      }
    } else if (t.type === 'param') {
      i++;
      pred.nodeId = `$${t.text}`;
    } else if (t.type === 'ident') {
      let path = tokens[i++]!.text;
      while (peek().text === '/') {
        i++;
        const seg = tokens[i++] ?? eof;
        if (seg.type !== 'ident') fail(seg, 'a path attribute');
        path += `/${seg.text}`;
      }
      const op = tokens[i++] ?? eof;
      if (op.type !== 'symbol' || !COMPARISON.has(op.text)) fail(op, "'='");
      const cond: PredicateCondition = { path, op: op.text as ComparisonOp, value: literal() };
      pred.conditions.push(cond);
    } else fail(t, 'a predicate');
    const sep = peek();
    if (sep === eof || i >= tokens.length) break;
    if (sep.type === 'ident' && (sep.upper === 'AND' || sep.upper === 'OR')) {
      if (sep.upper === 'OR') pred.hasOr = true;
      i++;
      continue;
    }
    if (sep.text === ',') {
      i++;
      continue;
    }
    fail(sep, "']'");
  }
  return pred;
}
