import { SYSTEM_ID } from '../population/population.js';
import { parseInstantUs } from '../time/iso.js';
import type { IdentifiedPath } from './ast.js';
import { attributePath } from './checks.js';
import { navigate, type ParamValue } from './rm-path.js';
import type { Row } from './row.js';
import type { Shape } from './shape.js';
import { RawJson } from './values.js';

/** How a path is read from a row; `instant` gives a fast comparable key for date-time paths. */
export interface Field {
  value(row: Row): unknown;
  instant?: (row: Row) => number | undefined;
  /** Never null for a live row: COUNT need not read it. */
  nonNull?: boolean;
}

const dv = (type: string, value: unknown) => (value === undefined ? undefined : { _type: type, value });

function changeType(v: number) {
  const [value, code] = v === 1 ? ['creation', '249'] : ['modification', '251'];
  return {
    _type: 'DV_CODED_TEXT',
    value,
    defining_code: {
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
      code_string: code,
    },
  };
}

function ehrField(attrs: string): Field | undefined {
  switch (attrs) {
    case 'ehr_id/value':
      return { value: (r) => r.pop.ehrId(r.e), nonNull: true };
    case 'ehr_id':
      return { value: (r) => ({ _type: 'HIER_OBJECT_ID', value: r.pop.ehrId(r.e) }) };
    case 'system_id/value':
      return { value: () => SYSTEM_ID };
    case 'system_id':
      return { value: () => ({ _type: 'HIER_OBJECT_ID', value: SYSTEM_ID }) };
    case 'time_created/value':
      return { value: (r) => r.pop.commitTimeValue(r.pop.ehrCreatedUs(r.e)) };
    case 'time_created':
      return {
        value: (r) => dv('DV_DATE_TIME', r.pop.commitTimeValue(r.pop.ehrCreatedUs(r.e))),
        instant: (r) => r.pop.ehrCreatedUs(r.e),
      };
    default:
      return undefined;
  }
}

function versionField(attrs: string): Field | undefined {
  const committed = (r: Row) => r.pop.versionTimeUs(r.i, r.v);
  switch (attrs) {
    case 'uid/value':
      return { value: (r) => r.pop.uid(r.i, r.v), nonNull: true };
    case 'commit_audit/time_committed/value':
      return { value: (r) => r.pop.commitTimeText(r.i, r.v), nonNull: true };
    case 'commit_audit/time_committed':
      return {
        value: (r) => dv('DV_DATE_TIME', r.pop.commitTimeText(r.i, r.v)),
        instant: committed,
        nonNull: true,
      };
    case 'commit_audit/system_id':
      return { value: () => SYSTEM_ID };
    case 'commit_audit/description':
    case 'commit_audit/description/value':
    case 'commit_audit/change_type/defining_code/preferred_term':
      return { value: () => undefined };
    case 'commit_audit/change_type':
      return { value: (r) => changeType(r.v) };
    case 'commit_audit/change_type/value':
      return { value: (r) => changeType(r.v).value };
    case 'commit_audit/change_type/defining_code/code_string':
      return { value: (r) => changeType(r.v).defining_code.code_string };
    case 'commit_audit/change_type/defining_code/terminology_id/value':
      return { value: () => 'openehr' };
    case 'contribution/id/value':
      return { value: (r) => r.pop.contributionId(r.i, r.v) };
    default:
      return undefined;
  }
}

function versionedObjectField(attrs: string): Field | undefined {
  const created = (r: Row) => r.pop.versionTimeUs(r.i, 1);
  switch (attrs) {
    case 'uid/value':
      return { value: (r) => r.pop.objectId(r.i) };
    case 'owner_id/value':
      return { value: (r) => r.pop.ehrId(r.e) };
    case 'time_created/value':
      return { value: (r) => r.pop.commitTimeValue(created(r)) };
    case 'time_created':
      return { value: (r) => dv('DV_DATE_TIME', r.pop.commitTimeValue(created(r))), instant: created };
    default:
      return undefined;
  }
}

function ehrStatusObject(r: Row) {
  return {
    _type: 'EHR_STATUS',
    name: { _type: 'DV_TEXT', value: 'EHR Status' },
    uid: { _type: 'OBJECT_VERSION_ID', value: r.pop.ehrStatusUid(r.e) },
    archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
    subject: {
      _type: 'PARTY_SELF',
      external_ref: {
        _type: 'PARTY_REF',
        id: { _type: 'GENERIC_ID', value: r.pop.ehrSubjectId(r.e), scheme: 'id_scheme' },
        namespace: 'atlas.sim',
        type: 'PERSON',
      },
    },
    is_queryable: true,
    is_modifiable: true,
  };
}

/** Composition paths answered without generating the document (when the row is a generated variant). */
function compositionField(p: IdentifiedPath, params: Record<string, ParamValue>): Field {
  const attrs = attributePath(p);
  const generic: Field = { value: (r) => navigate(r.canonical(), p.nodes, params) };
  const hasPredicates = p.nodes.some((n) => n.predicate);
  if (p.nodes.length === 0) return { value: (r) => new RawJson(r.canonicalText()), nonNull: true };
  if (hasPredicates) return generic;
  switch (attrs) {
    case 'uid/value':
      return { value: (r) => r.pop.uid(r.i, r.v), nonNull: true };
    case 'archetype_details/template_id/value':
      return { value: (r) => r.pop.prototype(r.i).templateId, nonNull: true };
    case 'context/start_time/value':
      return { value: (r) => r.pop.startTimeValue(r.i, r.v) };
    case 'context/start_time': {
      const instant = (r: Row) => {
        if (r.generated() && r.pop.prototype(r.i).startTime) return r.pop.startUs(r.i);
        const s = r.pop.startTimeValue(r.i, r.v);
        return s === undefined ? undefined : parseInstantUs(s);
      };
      return { value: (r) => dv('DV_DATE_TIME', r.pop.startTimeValue(r.i, r.v)), instant };
    }
    case 'name/value':
      return { value: (r) => (r.generated() ? r.pop.prototype(r.i).name : generic.value(r)) };
    case 'archetype_node_id':
      return { value: (r) => (r.generated() ? r.pop.prototype(r.i).archetypeNodeId : generic.value(r)) };
    case 'composer/name':
      return {
        value: (r) =>
          r.generated() && r.pop.prototype(r.i).composer ? r.pop.composerName(r.i) : generic.value(r),
      };
    default:
      return generic;
  }
}

/** Compile an identified path (already feature-checked) into a reader. */
export function compileField(shape: Shape, p: IdentifiedPath, params: Record<string, ParamValue>): Field {
  const info = shape.aliases.get(p.alias)!;
  const attrs = attributePath(p);
  const none: Field = { value: () => undefined };
  switch (info.type) {
    case 'EHR':
      return ehrField(attrs) ?? none;
    case 'VERSION':
      return versionField(attrs) ?? none;
    case 'VERSIONED_OBJECT':
      return versionedObjectField(attrs) ?? none;
    case 'EHR_STATUS':
      return {
        value: (r) =>
          p.nodes.length === 0 ? ehrStatusObject(r) : navigate(ehrStatusObject(r), p.nodes, params),
      };
    case 'COMPOSITION':
      return compositionField(p, params);
    case 'INNER': {
      const k = info.inner!;
      return { value: (r) => (p.nodes.length === 0 ? r.inner[k] : navigate(r.inner[k], p.nodes, params)) };
    }
  }
}
