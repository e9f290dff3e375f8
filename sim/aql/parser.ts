import type {
  AggregateFn,
  ComparisonOp,
  Condition,
  Containment,
  ContainmentClass,
  IdentifiedPath,
  Literal,
  Operand,
  OrderBy,
  PathNode,
  Predicate,
  Query,
  SelectExpr,
} from './ast.js';
import { AqlSyntaxError, type Token, tokenize } from './lexer.js';
import { COMPARISON, parsePredicate } from './predicate.js';

const CLAUSE_KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'CONTAINS',
  'AND',
  'OR',
  'NOT',
]);
const AGGREGATES = new Set(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG']);

/** Recursive-descent parser: AQL text → Query AST. Syntax errors are AqlSyntaxError (→ 400). */
class Parser {
  private i = 0;
  constructor(
    private readonly q: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private fail(t: Token, expected: string): never {
    throw new AqlSyntaxError(`line ${t.line}:${t.col} mismatched input '${t.text}' expecting ${expected}`);
  }

  private isKw(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'ident' && t.upper === word;
  }

  private acceptKw(word: string): boolean {
    if (!this.isKw(word)) return false;
    this.i++;
    return true;
  }

  private expectKw(word: string): void {
    if (!this.acceptKw(word)) this.fail(this.peek(), word);
  }

  private isSym(s: string): boolean {
    const t = this.peek();
    return t.type === 'symbol' && t.text === s;
  }

  private acceptSym(s: string): boolean {
    if (!this.isSym(s)) return false;
    this.i++;
    return true;
  }

  private expectSym(s: string): void {
    if (!this.acceptSym(s)) this.fail(this.peek(), `'${s}'`);
  }

  private ident(what: string): string {
    const t = this.peek();
    if (t.type !== 'ident') this.fail(t, what);
    this.i++;
    return t.text;
  }

  parseQuery(): Query {
    this.expectKw('SELECT');
    const distinct = this.acceptKw('DISTINCT');
    let top: number | undefined;
    if (this.acceptKw('TOP')) {
      top = this.integer();
      if (!this.acceptKw('FORWARD')) this.acceptKw('BACKWARD');
    }
    const select = [this.selectExpr()];
    while (this.acceptSym(',')) select.push(this.selectExpr());
    this.expectKw('FROM');
    const from = this.containment();
    const where = this.acceptKw('WHERE') ? this.condition() : undefined;
    let orderBy: OrderBy[] = [];
    let limit: number | undefined;
    let offset: number | undefined;
    // EHRbase accepts LIMIT/OFFSET before or after ORDER BY.
    for (let round = 0; round < 2; round++) {
      if (this.isKw('ORDER')) {
        this.next();
        this.expectKw('BY');
        orderBy = [this.orderItem()];
        while (this.acceptSym(',')) orderBy.push(this.orderItem());
      }
      if (limit === undefined && this.acceptKw('LIMIT')) {
        limit = this.integer();
        if (this.acceptKw('OFFSET')) offset = this.integer();
      }
    }
    const end = this.peek();
    if (end.type !== 'eof') this.fail(end, "{<EOF>, 'ORDER', 'LIMIT'}");
    return {
      distinct,
      ...(top !== undefined ? { top } : {}),
      select,
      from,
      ...(where ? { where } : {}),
      orderBy,
      ...(limit !== undefined ? { limit } : {}),
      ...(offset !== undefined ? { offset } : {}),
    };
  }

  private integer(): number {
    const t = this.next();
    if (t.type !== 'number' || !/^\d+$/.test(t.text)) this.fail(t, 'INTEGER');
    return Number(t.text);
  }

  private alias(): string | undefined {
    if (!this.acceptKw('AS')) return undefined;
    return this.ident('IDENTIFIER');
  }

  private selectExpr(): SelectExpr {
    const t = this.peek();
    if (t.type === 'ident' && AGGREGATES.has(t.upper) && this.peek(1).text === '(') {
      this.i += 2;
      const distinct = this.acceptKw('DISTINCT');
      const arg: IdentifiedPath | '*' = this.acceptSym('*') ? '*' : this.identifiedPath();
      this.expectSym(')');
      const alias = this.alias();
      return { kind: 'aggregate', fn: t.upper as AggregateFn, distinct, arg, ...(alias ? { alias } : {}) };
    }
    if (t.type === 'ident' && !CLAUSE_KEYWORDS.has(t.upper) && !['TRUE', 'FALSE', 'NULL'].includes(t.upper)) {
      const path = this.identifiedPath();
      const alias = this.alias();
      return { kind: 'path', path, ...(alias ? { alias } : {}) };
    }
    if (t.type === 'string' || t.type === 'number' || t.type === 'ident') {
      const value = this.literal();
      const alias = this.alias();
      return { kind: 'literal', value, ...(alias ? { alias } : {}) };
    }
    this.fail(t, 'a select expression');
  }

  private containment(): Containment {
    let left = this.containmentTerm();
    while (this.isKw('AND') || this.isKw('OR')) {
      const op = this.next().upper as 'AND' | 'OR';
      const right = this.containmentTerm();
      left = { kind: 'set', op, items: [left, right] };
    }
    return left;
  }

  private containmentTerm(): Containment {
    if (this.acceptKw('NOT')) {
      this.expectKw('CONTAINS');
      return { kind: 'not', item: this.containmentTerm() };
    }
    if (this.acceptSym('(')) {
      const inner = this.containment();
      this.expectSym(')');
      return inner;
    }
    const t = this.peek();
    if (t.type !== 'ident' || CLAUSE_KEYWORDS.has(t.upper)) this.fail(t, 'a class name');
    this.i++;
    const cls: ContainmentClass = { kind: 'class', type: t.upper };
    const a = this.peek();
    if (
      a.type === 'ident' &&
      !CLAUSE_KEYWORDS.has(a.upper) &&
      a.upper !== 'WHERE' &&
      a.upper !== 'ORDER' &&
      a.upper !== 'LIMIT'
    ) {
      this.i++;
      cls.alias = a.text;
    }
    if (this.isSym('[')) cls.predicate = this.predicate();
    if (this.acceptKw('CONTAINS')) cls.contains = this.containment();
    return cls;
  }

  private predicate(): Predicate {
    const open = this.next();
    let depth = 1;
    const start = this.i;
    while (depth > 0) {
      const t = this.peek();
      if (t.type === 'eof') this.fail(t, "']'");
      if (t.type === 'symbol' && t.text === '[') depth++;
      if (t.type === 'symbol' && t.text === ']') depth--;
      this.i++;
    }
    const closing = this.tokens[this.i - 1]!;
    const raw = this.q.slice(open.pos + 1, closing.pos).trim();
    return parsePredicate(raw, this.tokens.slice(start, this.i - 1), (t, e) => this.fail(t, e));
  }

  identifiedPath(): IdentifiedPath {
    const first = this.peek();
    const alias = this.ident('an identifier');
    const rootPredicate = this.isSym('[') ? this.predicate() : undefined;
    const nodes: PathNode[] = [];
    while (this.isSym('/')) {
      this.i++;
      const attribute = this.ident('a path attribute');
      const predicate = this.isSym('[') ? this.predicate() : undefined;
      nodes.push({ attribute, ...(predicate ? { predicate } : {}) });
    }
    const last = this.tokens[this.i - 1]!;
    const text = this.q
      .slice(first.pos, last.pos + (last.type === 'symbol' ? 1 : last.text.length))
      .replace(/\s+/g, ' ');
    const rootText = rootPredicate ? `${alias}[${rootPredicate.raw}]` : alias;
    return {
      alias,
      ...(rootPredicate ? { rootPredicate } : {}),
      nodes,
      text,
      pathText: text.slice(rootText.length + 1),
    };
  }

  private orderItem(): OrderBy {
    const t = this.peek();
    const path = this.identifiedPath();
    if (path.nodes.length === 0 && !path.rootPredicate) {
      // EHRbase's grammar wants a path here; an alias fails to parse (issue #1322).
      this.fail(t, 'an identified path');
    }
    let descending = false;
    if (this.acceptKw('DESC') || this.acceptKw('DESCENDING')) descending = true;
    else if (!this.acceptKw('ASC')) this.acceptKw('ASCENDING');
    return { path, descending };
  }

  private condition(): Condition {
    let left = this.andCondition();
    while (this.acceptKw('OR')) left = { kind: 'or', left, right: this.andCondition() };
    return left;
  }

  private andCondition(): Condition {
    let left = this.notCondition();
    while (this.acceptKw('AND')) left = { kind: 'and', left, right: this.notCondition() };
    return left;
  }

  private notCondition(): Condition {
    if (this.acceptKw('NOT')) return { kind: 'not', item: this.notCondition() };
    if (this.acceptKw('EXISTS')) return { kind: 'exists', path: this.identifiedPath() };
    if (this.acceptSym('(')) {
      const inner = this.condition();
      this.expectSym(')');
      return inner;
    }
    const left = this.operand();
    if (left.kind === 'path' && this.acceptKw('MATCHES')) {
      this.expectSym('{');
      const values = [this.literal()];
      while (this.acceptSym(',')) values.push(this.literal());
      this.expectSym('}');
      return { kind: 'matches', path: left.path, values };
    }
    if (left.kind === 'path' && this.acceptKw('LIKE'))
      return { kind: 'like', path: left.path, value: this.literal() };
    const op = this.peek();
    if (op.type !== 'symbol' || !COMPARISON.has(op.text))
      this.fail(op, "{'=', '!=', '>', '>=', '<', '<=', MATCHES, LIKE}");
    this.i++;
    return { kind: 'cmp', left, op: op.text as ComparisonOp, right: this.operand() };
  }

  private operand(): Operand {
    const t = this.peek();
    if (t.type === 'ident' && !['TRUE', 'FALSE', 'NULL'].includes(t.upper)) {
      if (this.peek(1).text === '(') {
        this.i += 2;
        let depth = 1;
        while (depth > 0 && this.peek().type !== 'eof') {
          const n = this.next();
          if (n.text === '(') depth++;
          if (n.text === ')') depth--;
        }
        return { kind: 'function', name: t.upper };
      }
      return { kind: 'path', path: this.identifiedPath() };
    }
    return this.literal();
  }

  literal(): Literal {
    const t = this.next();
    if (t.type === 'string') return { kind: 'string', value: t.text };
    if (t.type === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.type === 'param') return { kind: 'param', name: t.text };
    if (t.type === 'symbol' && t.text === '-') {
      const n = this.next();
      if (n.type !== 'number') this.fail(n, 'a number');
      return { kind: 'number', value: -Number(n.text) };
    }
    if (t.type === 'ident' && (t.upper === 'TRUE' || t.upper === 'FALSE'))
      return { kind: 'boolean', value: t.upper === 'TRUE' };
    if (t.type === 'ident' && t.upper === 'NULL') return { kind: 'null' };
    this.i--;
    this.fail(t, 'a literal or parameter');
  }
}

export function parseAql(q: string): Query {
  return new Parser(q, tokenize(q)).parseQuery();
}
