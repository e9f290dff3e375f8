import { parseInstantUs } from '../time/iso.js';
import type { Condition, IdentifiedPath, Literal, Predicate, Query } from './ast.js';
import { attributePath, checkOperand } from './checks.js';
import { AqlError } from './errors.js';
import { compileField, type Field } from './fields.js';
import type { ParamValue } from './rm-path.js';
import type { Row } from './row.js';
import type { Shape } from './shape.js';
import { comparable, compareKeys, isInstantValue, likeToRegExp } from './values.js';

export type RowTest = (row: Row) => boolean;

/** Access-path hints taken from top-level AND conditions (they are still evaluated on every row). */
export interface Hints {
  /** EHR ids the query is pinned to (`e/ehr_id/value = …`, MATCHES, or `EHR e[ehr_id/value=…]`). */
  ehrIds?: string[];
  /** Bounds on `v/commit_audit/time_committed` (µs). */
  fromUs?: number;
  fromInclusive?: boolean;
  toUs?: number;
  toInclusive?: boolean;
}

export interface EvalEnv {
  shape: Shape;
  params: Record<string, ParamValue>;
  systemId: string;
}

export function resolveLiteral(env: EvalEnv, lit: Literal): ParamValue | null {
  switch (lit.kind) {
    case 'param': {
      if (!(lit.name in env.params))
        throw new AqlError(400, `Could not parse AQL query: missing value for parameter $${lit.name}`);
      return env.params[lit.name]!;
    }
    case 'null':
      return null;
    default:
      return lit.value;
  }
}

/** Resolved literals as checked operands (a list parameter expands for MATCHES). */
function operands(env: EvalEnv, path: IdentifiedPath, lits: Literal[]): Array<string | number | boolean> {
  const out: Array<string | number | boolean> = [];
  for (const lit of lits) {
    const v = resolveLiteral(env, lit);
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) {
      const asLit: Literal =
        x === null
          ? { kind: 'null' }
          : typeof x === 'string'
            ? { kind: 'string', value: x }
            : typeof x === 'number'
              ? { kind: 'number', value: x }
              : { kind: 'boolean', value: x };
      checkOperand(env.shape, path, asLit, env.systemId);
      out.push(x as string | number | boolean);
    }
  }
  return out;
}

function comparison(field: Field, op: string, operand: string | number | boolean): RowTest {
  const accept = (c: number | undefined) => {
    if (c === undefined) return false;
    switch (op) {
      case '=':
        return c === 0;
      case '!=':
        return c !== 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      case '<':
        return c < 0;
      default:
        return c <= 0;
    }
  };
  const operandUs = typeof operand === 'string' ? parseInstantUs(operand) : Number.NaN;
  if (field.instant) {
    if (Number.isNaN(operandUs)) throw new AqlError(400, `Invalid date-time operand '${String(operand)}'`);
    return (row) => {
      const t = field.instant!(row);
      return t !== undefined && accept(t - operandUs);
    };
  }
  return (row) => {
    const value = field.value(row);
    const right = isInstantValue(value) ? operandUs : operand;
    return accept(compareKeys(comparable(value), right));
  };
}

export function compileCondition(env: EvalEnv, c: Condition): RowTest {
  switch (c.kind) {
    case 'and': {
      const l = compileCondition(env, c.left);
      const r = compileCondition(env, c.right);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = compileCondition(env, c.left);
      const r = compileCondition(env, c.right);
      return (row) => l(row) || r(row);
    }
    case 'not': {
      const inner = compileCondition(env, c.item);
      return (row) => !inner(row);
    }
    case 'exists': {
      const f = compileField(env.shape, c.path, env.params);
      return (row) => f.value(row) !== undefined && f.value(row) !== null;
    }
    case 'matches': {
      const f = compileField(env.shape, c.path, env.params);
      const tests = operands(env, c.path, c.values).map((v) => comparison(f, '=', v));
      return (row) => tests.some((t) => t(row));
    }
    case 'like': {
      const f = compileField(env.shape, c.path, env.params);
      const [pattern] = operands(env, c.path, [c.value]);
      if (typeof pattern !== 'string')
        throw new AqlError(400, 'Not implemented: LIKE must use String values');
      const re = likeToRegExp(pattern);
      return (row) => {
        const v = comparable(f.value(row));
        return typeof v === 'string' && re.test(v);
      };
    }
    case 'cmp': {
      if (c.left.kind !== 'path')
        throw new AqlError(400, 'Not implemented: Functions are not supported in WHERE');
      const path = c.left.path;
      const right = c.right;
      if (right.kind === 'path' || right.kind === 'function')
        throw new AqlError(400, 'Not implemented: Only primitive operands are supported');
      const [operand] = operands(env, path, [right]);
      if (operand === undefined) throw new AqlError(400, 'Not implemented: NULL is not supported');
      return comparison(compileField(env.shape, path, env.params), c.op, operand);
    }
  }
}

function conjuncts(c: Condition | undefined, out: Condition[] = []): Condition[] {
  if (!c) return out;
  if (c.kind === 'and') {
    conjuncts(c.left, out);
    conjuncts(c.right, out);
  } else out.push(c);
  return out;
}

function ehrIdsOfPredicate(env: EvalEnv, pred: Predicate | undefined): string[] | undefined {
  const cond = pred?.conditions.find((x) => x.path === 'ehr_id/value' && x.op === '=');
  if (!cond) return undefined;
  const v = resolveLiteral(env, cond.value);
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function extractHints(env: EvalEnv, q: Query): Hints {
  const hints: Hints = {};
  const fromPins = ehrIdsOfPredicate(env, env.shape.ehr?.predicate);
  if (fromPins) hints.ehrIds = fromPins;
  for (const c of conjuncts(q.where)) {
    const path =
      c.kind === 'cmp' && c.left.kind === 'path' ? c.left.path : c.kind === 'matches' ? c.path : undefined;
    if (!path) continue;
    const type = env.shape.aliases.get(path.alias)?.type;
    const attrs = attributePath(path);
    if (type === 'EHR' && attrs === 'ehr_id/value') {
      if (c.kind === 'matches')
        hints.ehrIds = c.values.flatMap((l) => [resolveLiteral(env, l)].flat().map(String));
      else if (c.kind === 'cmp' && c.op === '=' && c.right.kind !== 'path' && c.right.kind !== 'function') {
        hints.ehrIds = [String(resolveLiteral(env, c.right))];
      }
    }
    if (type === 'VERSION' && attrs === 'commit_audit/time_committed' && c.kind === 'cmp') {
      const right =
        c.right.kind === 'path' || c.right.kind === 'function' ? undefined : resolveLiteral(env, c.right);
      const us = typeof right === 'string' ? parseInstantUs(right) : Number.NaN;
      if (Number.isNaN(us)) continue;
      if ((c.op === '>=' || c.op === '>') && (hints.fromUs === undefined || us >= hints.fromUs)) {
        hints.fromUs = us;
        hints.fromInclusive = c.op === '>=';
      }
      if ((c.op === '<' || c.op === '<=') && (hints.toUs === undefined || us <= hints.toUs)) {
        hints.toUs = us;
        hints.toInclusive = c.op === '<=';
      }
    }
  }
  return hints;
}
