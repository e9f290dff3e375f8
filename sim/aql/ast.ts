/** AST of the AQL subset the simulator understands (see docs/simulator.md, "AQL"). */

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'param'; name: string };

export interface PredicateCondition {
  /** Relative path, e.g. `ehr_id/value`, `name/value`, `archetype_node_id`. */
  path: string;
  op: ComparisonOp;
  value: Literal;
}

/** Contents of `[...]` after a class or path attribute. */
export interface Predicate {
  raw: string;
  /** `at0001`, `openEHR-EHR-OBSERVATION.x.v1` (archetype_node_id shorthand). */
  nodeId?: string;
  /** `[at0001, 'Name']` shorthand for name/value. */
  name?: Literal;
  version?: 'LATEST_VERSION' | 'ALL_VERSIONS';
  conditions: PredicateCondition[];
  /** Whether conditions were joined with OR (not supported). */
  hasOr: boolean;
}

export interface PathNode {
  attribute: string;
  predicate?: Predicate;
}

export interface IdentifiedPath {
  alias: string;
  rootPredicate?: Predicate;
  nodes: PathNode[];
  /** `alias[/path…]` as written (normalised spacing), used in columns and messages. */
  text: string;
  /** The path after the alias (`uid/value`), '' for the bare alias. */
  pathText: string;
}

export type AggregateFn = 'COUNT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';

export type SelectExpr =
  | { kind: 'path'; path: IdentifiedPath; alias?: string }
  | { kind: 'aggregate'; fn: AggregateFn; distinct: boolean; arg: IdentifiedPath | '*'; alias?: string }
  | { kind: 'literal'; value: Literal; alias?: string };

export interface ContainmentClass {
  kind: 'class';
  type: string;
  alias?: string;
  predicate?: Predicate;
  contains?: Containment;
}

export type Containment =
  | ContainmentClass
  | { kind: 'set'; op: 'AND' | 'OR'; items: Containment[] }
  | { kind: 'not'; item: Containment };

export type ComparisonOp = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type Operand = { kind: 'path'; path: IdentifiedPath } | { kind: 'function'; name: string } | Literal;

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; item: Condition }
  | { kind: 'cmp'; left: Operand; op: ComparisonOp; right: Operand }
  | { kind: 'matches'; path: IdentifiedPath; values: Literal[] }
  | { kind: 'like'; path: IdentifiedPath; value: Literal }
  | { kind: 'exists'; path: IdentifiedPath };

export interface OrderBy {
  path: IdentifiedPath;
  descending: boolean;
}

export interface Query {
  distinct: boolean;
  top?: number;
  select: SelectExpr[];
  from: Containment;
  where?: Condition;
  orderBy: OrderBy[];
  limit?: number;
  offset?: number;
}
