import { miscFromFlat } from './dv-misc.js';
import { orderedFromFlat } from './dv-ordered.js';
import { textFromFlat } from './dv-text.js';
import { FlatCodecError } from './errors.js';
import { feederAuditFromFlat } from './feeder-audit.js';
import type { FlatNode } from './flat-tree.js';
import { codedText, codePhrase, dvText, list, type Obj, obj } from './out.js';
import { objectRefFromFlat, participationFromFlat, partyFromFlat } from './party.js';
import type { Plan } from './plan.js';
import { CARE_ENTRY_TYPES, ENTRY_TYPES, NOT_LOCATABLE } from './rm-kinds.js';
import { epochSeconds, normaliseTemporal } from './temporal.js';
import type { Build } from './unmarshal.js';
import { asInteger, asText } from './values.js';

/**
 * The `_attr` keys and defaults of flat-codec-rules.md §2.5 and §5.1, read after a node's template children
 * (EHRbase's unmarshal postprocessors and default-value inserters).
 */
export function rmAttributesFromFlat(plan: Plan, n: FlatNode, o: Obj, type: string, b: Build): void {
  if (!NOT_LOCATABLE.has(type)) locatableFromFlat(n, o);
  switch (type) {
    case 'ELEMENT':
      elementFromFlat(n, o);
      break;
    case 'EVENT_CONTEXT':
      contextFromFlat(n, o);
      break;
    case 'INTERVAL_EVENT':
      intervalEventFromFlat(plan, n, o);
      break;
    case 'ISM_TRANSITION': {
      const reasons = n
        .list('_reason')
        .map((r) => (r ? textFromFlat(r, undefined) : undefined))
        .filter((r) => r);
      if (reasons.length) o.reason = reasons;
      break;
    }
    case 'ACTIVITY':
      o.timing ??= { _type: 'DV_PARSABLE', value: b.ctx.activityTiming ?? 'R1', formalism: 'timing' };
      o.action_archetype_id ??= '/.*/';
      break;
  }
  if (ENTRY_TYPES.has(type)) entryFromFlat(n, o, type, b);
}

function text(n: FlatNode, attr: string): string | undefined {
  const v = n.take(attr);
  return v === undefined ? undefined : asText(n.keyOf(attr), v);
}

function locatableFromFlat(n: FlatNode, o: Obj): void {
  const uidNode = n.one('_uid');
  const uid = uidNode ? text(uidNode, '') : undefined;
  if (uid !== undefined)
    o.uid = { _type: uid.split('::').length >= 3 ? 'OBJECT_VERSION_ID' : 'HIER_OBJECT_ID', value: uid };
  const nameNode = n.one('_name');
  if (nameNode) {
    const name = textFromFlat(nameNode, {
      id: '_name',
      rmType: nameNode.has('|code') ? 'DV_CODED_TEXT' : 'DV_TEXT',
    });
    if (name) o.name = name;
  }
  const links = n
    .list('_link')
    .map((l) => {
      if (!l) return undefined;
      const meaning = text(l, '|meaning');
      const type = text(l, '|type');
      const target = text(l, '|target');
      if (meaning === undefined && type === undefined && target === undefined) return undefined;
      return {
        _type: 'LINK',
        meaning: dvText(meaning ?? ''),
        type: dvText(type ?? ''),
        target: { _type: 'DV_EHR_URI', value: target ?? '' },
      };
    })
    .filter((l) => l);
  if (links.length) o.links = links;
  const fa = n.one('_feeder_audit');
  if (fa) {
    const audit = feederAuditFromFlat(fa);
    if (audit) o.feeder_audit = audit;
  }
}

const NULL_FLAVOURS: Record<string, string> = {
  '253': 'unknown',
  '271': 'no information',
  '272': 'masked',
  '273': 'not applicable',
};

function elementFromFlat(n: FlatNode, o: Obj): void {
  const nf = n.one('_null_flavour');
  if (nf) {
    const code = text(nf, '|code');
    const value = text(nf, '|value');
    nf.take('|terminology');
    const c = code ?? Object.keys(NULL_FLAVOURS).find((k) => NULL_FLAVOURS[k] === value);
    if (c === undefined || NULL_FLAVOURS[c] === undefined) {
      const key = nf.keyOf(code !== undefined ? '|code' : '|value');
      throw new FlatCodecError(
        `FLAT key "${key}": not an openEHR null flavour (253 unknown, 271 no information, 272 masked, 273 not applicable)`,
        [key],
      );
    }
    o.null_flavour = codedText('openehr', c, NULL_FLAVOURS[c]!);
  }
  const reason = n.one('_null_reason');
  if (reason) {
    const r = textFromFlat(reason, undefined);
    if (r) o.null_reason = r;
  }
}

function dateTimeAt(n: FlatNode | undefined): Obj | undefined {
  if (!n) return undefined;
  const v = text(n, '');
  if (v === undefined) return undefined;
  const value = normaliseTemporal('DV_DATE_TIME', v);
  if (value === undefined)
    throw new FlatCodecError(
      `FLAT key "${n.keyOf('')}": expected an ISO 8601 date-time, got ${JSON.stringify(v)}`,
      [n.keyOf('')],
    );
  return { _type: 'DV_DATE_TIME', value };
}

function contextFromFlat(n: FlatNode, o: Obj): void {
  const end = dateTimeAt(n.one('_end_time'));
  if (end) o.end_time = end;
  const loc = n.one('_location');
  const location = loc ? text(loc, '') : undefined;
  if (location !== undefined) o.location = location;
  const hcf = partyFromFlat(n.one('_health_care_facility'));
  if (hcf) {
    if (hcf._type !== 'PARTY_IDENTIFIED') {
      const key = n.one('_health_care_facility')!.keyOf('|_type');
      throw new FlatCodecError(
        `FLAT key "${key}": the health care facility needs |name or |id (Could not find concrete instance of Party proxy)`,
        [key],
      );
    }
    o.health_care_facility = hcf;
  }
  const parts = n
    .list('_participation')
    .map((p) => (p ? participationFromFlat(p) : undefined))
    .filter((p) => p);
  if (parts.length) o.participations = parts;
  // Legacy `setting|238` style keys are consumed and ignored, as in EHRbase (§2.7).
  const setting = n.one('setting');
  if (setting) for (const a of setting.attrNames('|')) if (/^\|\d*$/.test(a)) setting.take(a);
}

function intervalEventFromFlat(plan: Plan, n: FlatNode, o: Obj): void {
  const shown = new Set(plan.children.map((c) => c.id));
  const w = n.one('width');
  if (w && !shown.has('width')) {
    const width = orderedFromFlat(w, 'DV_DURATION');
    if (width) o.width = width;
  }
  const mf = n.one('math_function');
  if (mf && !shown.has('math_function')) {
    const fn = textFromFlat(mf, {
      id: 'math_function',
      rmType: 'DV_CODED_TEXT',
      inputs: [{ suffix: 'code', terminology: 'openehr' }],
    });
    if (fn) o.math_function = fn;
  }
  o.math_function ??= codedText('openehr', '640', 'actual');
  const sc = n.take('|sample_count');
  if (sc !== undefined) o.sample_count = asInteger(n.keyOf('|sample_count'), sc);
}

function entryFromFlat(n: FlatNode, o: Obj, type: string, b: Build): void {
  const { ctx } = b;
  const provider = partyFromFlat(n.one('_provider'));
  if (provider) o.provider = provider;
  else if (ctx.providerName !== undefined || ctx.providerId !== undefined) {
    const p: Obj = { _type: 'PARTY_IDENTIFIED' };
    if (ctx.providerId !== undefined)
      p.external_ref = {
        _type: 'PARTY_REF',
        id: { _type: 'GENERIC_ID', value: ctx.providerId, scheme: ctx.idScheme ?? ctx.idNamespace ?? '' },
        namespace: ctx.idNamespace ?? '',
        type: 'PARTY',
      };
    if (ctx.providerName !== undefined) p.name = ctx.providerName;
    o.provider = p;
  }
  const others = n
    .list('_other_participation')
    .map((p) => (p ? participationFromFlat(p) : undefined))
    .filter((p) => p);
  if (others.length) o.other_participations = others;
  const wf = objectRefFromFlat(n.one('_work_flow_id')) ?? ctx.workFlowId;
  if (wf) o.workflow_id = wf;
  if (CARE_ENTRY_TYPES.has(type)) {
    const g = objectRefFromFlat(n.one('_guideline_id'));
    if (g) o.guideline_id = g;
  }
  o.language ??= b.language;
  o.encoding ??= codePhrase('IANA_character-sets', 'UTF-8');
  o.subject ??= { _type: 'PARTY_SELF' };
  if (type === 'OBSERVATION') observationTimes(n, o, b);
  if (type === 'ACTION') actionFromFlat(n, o, b);
  if (type === 'INSTRUCTION') {
    const wfd = n.one('_wf_definition');
    const def = wfd
      ? miscFromFlat(wfd, 'DV_PARSABLE', { id: 'wf_definition', rmType: 'DV_PARSABLE' })
      : undefined;
    if (def) o.wf_definition = def;
    // Always last, given or defaulted: the same composition must serialise the same way whether its FLAT
    // carried the narrative or not (the property tests' canonical → FLAT → canonical identity).
    const narrative = o.narrative ?? dvText(ctx.instructionNarrative ?? '<none>');
    delete o.narrative;
    o.narrative = narrative;
  }
}

/** HISTORY.origin: `history_origin`, else the earliest event time, else ctx; events without time get the origin. */
function observationTimes(n: FlatNode, o: Obj, b: Build): void {
  const history = obj(o.data);
  const explicit = dateTimeAt(n.one('history_origin'));
  if (!history) return;
  const events = list(history.events);
  let origin = explicit ?? obj(history.origin);
  if (!origin) {
    let best: { t: number; v: Obj } | undefined;
    for (const e of events) {
      const t = obj(e.time);
      const s = typeof t?.value === 'string' ? epochSeconds(t.value) : undefined;
      if (t && s !== undefined && (!best || s < best.t)) best = { t: s, v: t };
    }
    origin = best
      ? { ...best.v }
      : { _type: 'DV_DATE_TIME', value: b.ctx.historyOrigin ?? b.ctx.time ?? b.now() };
  }
  history.origin = origin;
  for (const e of events) e.time ??= { ...origin };
}

function actionFromFlat(n: FlatNode, o: Obj, b: Build): void {
  const d = n.one('_instruction_details');
  if (d) {
    for (const refused of ['|instruction_uid', '|wt_path', '|instruction_index', '|activity_index'])
      if (d.has(refused))
        throw new FlatCodecError(
          `FLAT key "${d.keyOf(refused)}": not supported; use _instruction_details|composition_uid, |path and |activity_id`,
          [d.keyOf(refused)],
        );
    const uid = text(d, '|composition_uid');
    const path = text(d, '|path');
    const activity = text(d, '|activity_id');
    if (uid !== undefined || path !== undefined || activity !== undefined) {
      o.instruction_details = {
        _type: 'INSTRUCTION_DETAILS',
        instruction_id: {
          _type: 'LOCATABLE_REF',
          id: { _type: 'HIER_OBJECT_ID', value: uid ?? '' },
          namespace: 'local',
          type: 'INSTRUCTION',
          ...(path !== undefined ? { path } : {}),
        },
        activity_id: activity ?? '',
      };
    }
  }
  o.time ??= { _type: 'DV_DATE_TIME', value: b.ctx.actionTime ?? b.ctx.time ?? b.now() };
  const ism = obj(o.ism_transition) ?? { _type: 'ISM_TRANSITION' };
  ism.current_state ??= b.ctx.ismCurrentState ?? codedText('openehr', '532', 'completed');
  o.ism_transition = ism;
}
