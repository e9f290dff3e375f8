import type { Containment, ContainmentClass, Predicate } from './ast.js';
import { illegal, notImplemented } from './errors.js';

export type AliasType = 'EHR' | 'VERSION' | 'VERSIONED_OBJECT' | 'COMPOSITION' | 'EHR_STATUS' | 'INNER';

export interface InnerClass {
  type: string;
  alias?: string;
  predicate?: Predicate;
}

/** The FROM clause reduced to the chain the simulator evaluates. */
export interface Shape {
  ehr?: { alias?: string; predicate?: Predicate };
  version?: { alias?: string; predicate?: Predicate; type: 'VERSION' | 'VERSIONED_OBJECT' };
  composition?: { alias?: string; predicate?: Predicate };
  ehrStatus?: { alias?: string; predicate?: Predicate };
  /** Classes contained in the composition, outermost first (`CONTAINS OBSERVATION o …`). */
  inner: InnerClass[];
  aliases: Map<string, { type: AliasType; inner?: number }>;
  source: 'ehr' | 'composition' | 'ehr_status';
}

/** Entry and structure classes that may appear inside a COMPOSITION. */
const INNER_TYPES = new Set([
  'SECTION',
  'ENTRY',
  'CARE_ENTRY',
  'OBSERVATION',
  'EVALUATION',
  'INSTRUCTION',
  'ACTION',
  'ADMIN_ENTRY',
  'GENERIC_ENTRY',
  'ACTIVITY',
  'HISTORY',
  'EVENT',
  'POINT_EVENT',
  'INTERVAL_EVENT',
  'ITEM_STRUCTURE',
  'ITEM_TREE',
  'ITEM_LIST',
  'ITEM_SINGLE',
  'ITEM_TABLE',
  'ITEM',
  'CLUSTER',
  'ELEMENT',
]);

const SUPPORTED_LIST = 'EHR, COMPOSITION, EHR_STATUS, VERSION, ' + [...INNER_TYPES].join(', ');

function single(c: Containment): ContainmentClass {
  if (c.kind === 'not') throw notImplemented('NOT CONTAINS');
  if (c.kind === 'set') throw notImplemented('AND/OR in CONTAINS is not supported by the simulator');
  return c;
}

/**
 * Validate the FROM chain like EHRbase's FromCheck (VERSIONED_OBJECT is rejected unless the Better
 * flavour allows it) and record which alias names which class.
 */
export function analyseFrom(from: Containment, allowVersionedObject: boolean): Shape {
  const shape: Shape = { inner: [], aliases: new Map(), source: 'composition' };
  const name = (alias: string | undefined, type: AliasType, inner?: number) => {
    if (!alias) return;
    if (shape.aliases.has(alias)) throw illegal(`Duplicate identifier ${alias}`);
    shape.aliases.set(alias, { type, ...(inner !== undefined ? { inner } : {}) });
  };
  let cur: ContainmentClass | undefined = single(from);
  if (cur.type === 'EHR') {
    shape.ehr = {
      ...(cur.alias ? { alias: cur.alias } : {}),
      ...(cur.predicate ? { predicate: cur.predicate } : {}),
    };
    name(cur.alias, 'EHR');
    if (!cur.contains) {
      shape.source = 'ehr';
      return shape;
    }
    if (cur.contains.kind !== 'class') throw notImplemented('AND/OR/NOT only allowed after CONTAINS');
    cur = single(cur.contains);
  }
  if (cur.type === 'VERSION' || cur.type === 'VERSIONED_OBJECT') {
    if (cur.type === 'VERSIONED_OBJECT' && !allowVersionedObject) {
      throw illegal(`Type VERSIONED_OBJECT is not supported in FROM, only: ${SUPPORTED_LIST}`);
    }
    const version = cur.predicate?.version;
    if (cur.predicate && version !== 'LATEST_VERSION') {
      throw notImplemented('Only VERSION queries without predicate or on LATEST_VERSION supported');
    }
    shape.version = { type: cur.type, ...(cur.alias ? { alias: cur.alias } : {}) };
    name(cur.alias, cur.type);
    if (!cur.contains) throw illegal('VERSION containment must be followed by another CONTAINS expression');
    const next = single(cur.contains);
    if (next.type === 'VERSION') throw illegal('VERSION cannot contain another VERSION');
    if (next.type !== 'COMPOSITION')
      throw notImplemented(`VERSION CONTAINS ${next.type} is not supported by the simulator`);
    cur = next;
  }
  if (cur.type === 'EHR_STATUS') {
    shape.ehrStatus = { ...(cur.alias ? { alias: cur.alias } : {}) };
    name(cur.alias, 'EHR_STATUS');
    shape.source = 'ehr_status';
    if (cur.contains) throw notImplemented('CONTAINS inside EHR_STATUS is not supported by the simulator');
    return shape;
  }
  if (cur.type !== 'COMPOSITION') {
    if (INNER_TYPES.has(cur.type))
      throw illegal(`It is unclear if ${cur.type} targets a COMPOSITION or EHR_STATUS`);
    throw illegal(`Type ${cur.type} is not supported in FROM, only: ${SUPPORTED_LIST}`);
  }
  shape.composition = {
    ...(cur.alias ? { alias: cur.alias } : {}),
    ...(cur.predicate ? { predicate: cur.predicate } : {}),
  };
  name(cur.alias, 'COMPOSITION');
  let inner = cur.contains ? single(cur.contains) : undefined;
  while (inner) {
    if (inner.type === 'COMPOSITION') throw notImplemented('COMPOSITION CONTAINS COMPOSITION');
    if (inner.type === 'FOLDER')
      throw notImplemented('CONTAINS FOLDER is an experimental feature and currently disabled.');
    if (!INNER_TYPES.has(inner.type))
      throw illegal(`Type ${inner.type} is not supported in FROM, only: ${SUPPORTED_LIST}`);
    const index = shape.inner.length;
    shape.inner.push({
      type: inner.type,
      ...(inner.alias ? { alias: inner.alias } : {}),
      ...(inner.predicate ? { predicate: inner.predicate } : {}),
    });
    name(inner.alias, 'INNER', index);
    inner = inner.contains ? single(inner.contains) : undefined;
  }
  return shape;
}
