import type { Condition, IdentifiedPath, Literal, Query } from './ast.js';
import { illegal, notImplemented } from './errors.js';
import type { Shape } from './shape.js';

export type Clause = 'SELECT' | 'WHERE' | 'ORDER_BY';

/** EHRbase's SUPPORTED_VERSION_PATHS: VERSION path → clauses it may appear in (openehr-rest.md §5.2). */
const VERSION_PATHS: Record<string, Clause[]> = {
  'uid/value': ['SELECT', 'WHERE', 'ORDER_BY'],
  'commit_audit/time_committed': ['SELECT', 'WHERE', 'ORDER_BY'],
  'commit_audit/time_committed/value': ['SELECT'],
  'commit_audit/system_id': ['SELECT', 'WHERE'],
  'commit_audit/description': ['SELECT'],
  'commit_audit/description/value': ['SELECT', 'WHERE', 'ORDER_BY'],
  'commit_audit/change_type': ['SELECT'],
  'commit_audit/change_type/value': ['SELECT', 'WHERE', 'ORDER_BY'],
  'commit_audit/change_type/defining_code/code_string': ['SELECT', 'WHERE', 'ORDER_BY'],
  'commit_audit/change_type/defining_code/preferred_term': ['SELECT', 'WHERE', 'ORDER_BY'],
  'commit_audit/change_type/defining_code/terminology_id/value': ['SELECT', 'WHERE'],
  'contribution/id/value': ['SELECT', 'WHERE', 'ORDER_BY'],
};

/** EHR columns (AslExtractedColumn); time_created/value and the system_id DV only in SELECT. */
const EHR_PATHS: Record<string, Clause[]> = {
  'ehr_id/value': ['SELECT', 'WHERE', 'ORDER_BY'],
  'system_id/value': ['SELECT', 'WHERE', 'ORDER_BY'],
  system_id: ['SELECT'],
  time_created: ['SELECT', 'WHERE', 'ORDER_BY'],
  'time_created/value': ['SELECT'],
};

/** Better's VERSIONED_OBJECT paths (flavour better only). */
const VERSIONED_OBJECT_PATHS = new Set(['uid/value', 'time_created', 'time_created/value', 'owner_id/value']);

/** Composition-level attributes whose type is neither DV_ORDERED nor primitive (WHERE rejects them). */
const NON_ORDERED = new Set([
  'name',
  'context/setting',
  'category',
  'language',
  'territory',
  'composer',
  'uid',
  'archetype_details',
  'context',
]);

const UID_RE = /^([a-fA-F0-9-]{36})(::([^:]*)::([1-9]\d*))?$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Attribute names of a path without predicates (`uid/value`). */
export function attributePath(p: IdentifiedPath): string {
  return p.nodes.map((n) => n.attribute).join('/');
}

export function aliasType(shape: Shape, p: IdentifiedPath) {
  const info = shape.aliases.get(p.alias);
  if (!info) throw illegal(`Identifier ${p.alias} is not defined in FROM`);
  return info.type;
}

export function checkPath(shape: Shape, p: IdentifiedPath, clause: Clause): void {
  const type = aliasType(shape, p);
  const attrs = attributePath(p);
  if (type === 'VERSION') {
    if (p.nodes.length === 0) {
      if (clause === 'SELECT') throw notImplemented(`selecting the full VERSION object (${p.alias})`);
      throw notImplemented(`${clause}: identified path for type ORIGINAL_VERSION is missing`);
    }
    if (!VERSION_PATHS[attrs]?.includes(clause)) {
      throw notImplemented(`${clause}: VERSION path ${p.alias}/${p.pathText} is not supported`);
    }
  } else if (type === 'EHR') {
    if (p.nodes.length === 0) {
      if (clause === 'SELECT') throw notImplemented(`selecting the full EHR object (${p.alias})`);
      throw notImplemented(`${clause}: identified path for type EHR is missing`);
    }
    if (!EHR_PATHS[attrs]?.includes(clause)) {
      throw notImplemented(`${clause}: identified path '${p.pathText}' for type EHR not supported`);
    }
  } else if (type === 'VERSIONED_OBJECT') {
    if (!VERSIONED_OBJECT_PATHS.has(attrs)) {
      throw notImplemented(
        `${clause}: VERSIONED_OBJECT path ${p.alias}/${p.pathText} is not supported by the simulator`,
      );
    }
  } else if (p.nodes.length === 0 && clause !== 'SELECT') {
    throw notImplemented(
      `${clause}: identified path for type ${type === 'INNER' ? 'LOCATABLE' : type} is missing`,
    );
  } else if (clause === 'WHERE' && type === 'COMPOSITION' && NON_ORDERED.has(attrs)) {
    throw notImplemented(
      `WHERE: path ${p.pathText} only targets types that are not derived from DV_ORDERED and not primitive`,
    );
  }
}

function isUidPath(shape: Shape, p: IdentifiedPath): boolean {
  const type = shape.aliases.get(p.alias)?.type;
  return (type === 'COMPOSITION' || type === 'VERSION') && attributePath(p) === 'uid/value';
}

/**
 * Operand checks of `FeatureCheckUtils.ensureOperandSupported`; run on the substituted value, so a
 * parameter gets the same scrutiny as a literal.
 */
export function checkOperand(shape: Shape, p: IdentifiedPath, value: Literal, systemId: string): void {
  if (value.kind === 'null') throw notImplemented('NULL is not supported');
  if (!isUidPath(shape, p)) return;
  if (value.kind !== 'string') throw illegal('/uid/value comparisons require a string operand');
  const m = UID_RE.exec(value.value);
  if (!m) throw illegal(`${value.value} is not a valid OBJECT_VERSION_ID/UID`);
  if (!UUID_RE.test(m[1]!)) throw illegal(`${value.value} does not start with a valid UID`);
  const system = m[3];
  if (m[2] && system && system !== systemId) {
    throw illegal(`CREATING_SYSTEM_ID of ${value.value} does not match this server (${systemId})`);
  }
}

const TEMPLATE_ONLY_EQ = "Conditions on 'archetype_details/template_id/value' only support =,!= and MATCHES";

function checkCondition(shape: Shape, c: Condition): void {
  switch (c.kind) {
    case 'and':
    case 'or':
      checkCondition(shape, c.left);
      checkCondition(shape, c.right);
      return;
    case 'not':
      checkCondition(shape, c.item);
      return;
    case 'exists':
      throw notImplemented('WHERE: EXISTS operator is not supported');
    case 'matches':
      checkPath(shape, c.path, 'WHERE');
      return;
    case 'like': {
      checkPath(shape, c.path, 'WHERE');
      const attrs = attributePath(c.path);
      if (attrs === 'uid/value' && shape.aliases.get(c.path.alias)?.type === 'COMPOSITION') {
        throw notImplemented('LIKE on /uid/value is not supported for COMPOSITION');
      }
      if (c.value.kind !== 'string' && c.value.kind !== 'param')
        throw notImplemented('LIKE must use String values');
      if (attrs === 'archetype_details/template_id/value') throw notImplemented(TEMPLATE_ONLY_EQ);
      return;
    }
    case 'cmp': {
      if (c.left.kind !== 'path') throw notImplemented('Functions are not supported in WHERE');
      const p = c.left.path;
      checkPath(shape, p, 'WHERE');
      const attrs = attributePath(p);
      const eqOnly = c.op === '=' || c.op === '!=';
      if (attrs === 'archetype_node_id' && !eqOnly) {
        throw notImplemented("Conditions on 'archetype_node_id' only support =,!=, LIKE and MATCHES");
      }
      if (attrs === 'archetype_details/template_id/value' && !eqOnly) throw notImplemented(TEMPLATE_ONLY_EQ);
      if (
        shape.aliases.get(p.alias)?.type === 'VERSION' &&
        attrs.startsWith('commit_audit/change_type') &&
        !eqOnly
      ) {
        throw notImplemented(`Conditions on ${p.pathText} of VERSION only support =,!= and MATCHES`);
      }
      if (c.right.kind === 'path' || c.right.kind === 'function')
        throw notImplemented('Only primitive operands are supported');
      return;
    }
  }
}

function startsWith(selected: IdentifiedPath, prefix: IdentifiedPath): boolean {
  return selected.text === prefix.text || selected.text.startsWith(`${prefix.text}/`);
}

/** The SELECT / WHERE / ORDER BY feature checks of EHRbase's AqlQueryFeatureCheck. */
export function checkQuery(shape: Shape, q: Query): void {
  for (const s of q.select) {
    if (s.kind === 'path') checkPath(shape, s.path, 'SELECT');
    if (s.kind === 'aggregate' && s.arg !== '*') checkPath(shape, s.arg, 'SELECT');
  }
  if (q.where) checkCondition(shape, q.where);
  for (const o of q.orderBy) {
    const selected = q.select.flatMap((s) => (s.kind === 'path' ? [s.path] : []));
    if (!selected.some((s) => startsWith(s, o.path))) {
      throw notImplemented(`ORDER BY: Path: ${o.path.text} is not present in SELECT statement`);
    }
    checkPath(shape, o.path, 'ORDER_BY');
  }
}
