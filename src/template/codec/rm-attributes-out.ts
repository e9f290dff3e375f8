import { miscToFlat } from './dv-misc.js';
import { orderedToFlat } from './dv-ordered.js';
import { textToFlat } from './dv-text.js';
import { feederAuditToFlat } from './feeder-audit.js';
import { type FlatOut, list, type Obj, obj } from './out.js';
import { objectRefToFlat, participationToFlat, partyToFlat } from './party.js';
import type { Plan } from './plan.js';
import { CARE_ENTRY_TYPES, ENTRY_TYPES } from './rm-kinds.js';
import { epochSeconds, normaliseTemporal } from './temporal.js';

/**
 * The RM attributes a web template does not show, written after a node's children as EHRbase's marshal
 * postprocessors do (flat-codec-rules.md §2.5): `_uid`, `_name`, `_link`, `_feeder_audit` on every LOCATABLE,
 * context, entry, action, instruction, event, ISM transition and element extras.
 */
export function rmAttributesToFlat(
  plan: Plan,
  m: Obj,
  key: string,
  out: FlatOut,
  type: string,
  opts: { skipUid?: boolean } = {},
): void {
  locatableToFlat(plan, m, key, out, opts.skipUid ?? false);
  if (type === 'EVENT_CONTEXT') contextToFlat(m, key, out);
  if (ENTRY_TYPES.has(type)) entryToFlat(m, key, out, CARE_ENTRY_TYPES.has(type));
  if (type === 'OBSERVATION') historyOriginToFlat(m, key, out);
  if (type === 'INTERVAL_EVENT') intervalEventToFlat(plan, m, key, out);
  if (type === 'ISM_TRANSITION')
    list(m.reason).forEach((r, i) => {
      textToFlat(out, `${key}/_reason:${i}`, r);
    });
  if (type === 'ACTION') instructionDetailsToFlat(m, key, out);
  if (type === 'INSTRUCTION') {
    const wf = obj(m.wf_definition);
    if (wf) miscToFlat(out, `${key}/_wf_definition`, wf, { id: 'wf_definition', rmType: 'DV_PARSABLE' });
  }
  if (type === 'ELEMENT') elementToFlat(m, key, out);
}

function locatableToFlat(plan: Plan, m: Obj, key: string, out: FlatOut, skipUid: boolean): void {
  const uid = obj(m.uid)?.value;
  if (!skipUid && typeof uid === 'string') out.put(`${key}/_uid`, uid);
  const name = obj(m.name);
  const expected = plan.steps.at(-1)?.name ?? plan.node.name;
  if (
    name &&
    typeof name.value === 'string' &&
    m.archetype_node_id !== undefined &&
    name.value !== expected
  ) {
    if (name._type === 'DV_CODED_TEXT') textToFlat(out, `${key}/_name`, name);
    else out.put(`${key}/_name`, name.value);
  }
  list(m.links).forEach((l, i) => {
    const p = `${key}/_link:${i}`;
    if (obj(l.meaning)) out.put(`${p}|meaning`, obj(l.meaning)!.value);
    if (obj(l.type)) out.put(`${p}|type`, obj(l.type)!.value);
    if (obj(l.target)) out.put(`${p}|target`, obj(l.target)!.value);
  });
  const fa = obj(m.feeder_audit);
  if (fa) feederAuditToFlat(out, `${key}/_feeder_audit`, fa);
}

function dateTime(v: unknown): unknown {
  return typeof v === 'string' ? (normaliseTemporal('DV_DATE_TIME', v) ?? v) : v;
}

function contextToFlat(m: Obj, key: string, out: FlatOut): void {
  const end = obj(m.end_time)?.value;
  if (end !== undefined) out.put(`${key}/_end_time`, dateTime(end));
  if (typeof m.location === 'string') out.put(`${key}/_location`, m.location);
  const hcf = obj(m.health_care_facility);
  if (hcf) partyToFlat(out, `${key}/_health_care_facility`, hcf);
  list(m.participations).forEach((p, i) => {
    participationToFlat(out, `${key}/_participation:${i}`, p);
  });
}

function entryToFlat(m: Obj, key: string, out: FlatOut, care: boolean): void {
  const provider = obj(m.provider);
  if (provider) partyToFlat(out, `${key}/_provider`, provider);
  list(m.other_participations).forEach((p, i) => {
    participationToFlat(out, `${key}/_other_participation:${i}`, p);
  });
  objectRefToFlat(out, `${key}/_work_flow_id`, obj(m.workflow_id) ?? obj(m.work_flow_id));
  if (care) objectRefToFlat(out, `${key}/_guideline_id`, obj(m.guideline_id));
}

/** `history_origin` only when it differs from the earliest event time in whole seconds (§5.2). */
function historyOriginToFlat(m: Obj, key: string, out: FlatOut): void {
  const history = obj(m.data);
  const origin = obj(history?.origin)?.value;
  if (typeof origin !== 'string') return;
  const times = list(history?.events)
    .map((e) => obj(e.time)?.value)
    .filter((t): t is string => typeof t === 'string')
    .map((t) => epochSeconds(t))
    .filter((t): t is number => t !== undefined);
  const originSeconds = epochSeconds(origin);
  if (times.length > 0 && originSeconds === Math.min(...times)) return;
  out.put(`${key}/history_origin`, dateTime(origin));
}

function intervalEventToFlat(plan: Plan, m: Obj, key: string, out: FlatOut): void {
  const shown = new Set(plan.children.map((c) => c.id));
  const width = obj(m.width);
  if (width && !shown.has('width')) orderedToFlat(out, `${key}/width`, { _type: 'DV_DURATION', ...width });
  const fn = obj(m.math_function);
  if (fn && !shown.has('math_function')) textToFlat(out, `${key}/math_function`, fn);
  if (m.sample_count !== undefined && m.sample_count !== null) out.put(`${key}|sample_count`, m.sample_count);
}

function instructionDetailsToFlat(m: Obj, key: string, out: FlatOut): void {
  const d = obj(m.instruction_details);
  if (!d) return;
  const ref = obj(d.instruction_id);
  const compositionUid = obj(ref?.id)?.value;
  if (compositionUid !== undefined) out.put(`${key}/_instruction_details|composition_uid`, compositionUid);
  if (ref?.path !== undefined) out.put(`${key}/_instruction_details|path`, ref.path);
  if (d.activity_id !== undefined) out.put(`${key}/_instruction_details|activity_id`, d.activity_id);
}

function elementToFlat(m: Obj, key: string, out: FlatOut): void {
  const nf = obj(m.null_flavour);
  if (nf) {
    const dc = obj(nf.defining_code);
    out.put(`${key}/_null_flavour|code`, dc?.code_string);
    out.put(`${key}/_null_flavour|value`, nf.value);
    out.put(`${key}/_null_flavour|terminology`, obj(dc?.terminology_id)?.value);
  }
  const reason = obj(m.null_reason);
  if (reason) textToFlat(out, `${key}/_null_reason`, reason);
}
