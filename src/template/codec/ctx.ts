import { OPENEHR_SETTINGS } from '../web-template/openehr-terminology.js';
import { FlatCodecError, valueError } from './errors.js';
import { codedText, codePhrase, type Obj } from './out.js';
import { modeFromText } from './party.js';
import { normaliseTemporal, parseTemporal } from './temporal.js';

/**
 * `ctx/…` keys of a FLAT input (flat-codec-rules.md §4): defaults that apply only where the body left an
 * attribute empty. Found by prefix like EHRbase (`ctx/participation_name:1`); unknown ctx keys are ignored.
 */
export interface CtxDefaults {
  language?: string;
  territory?: string;
  composerName?: string;
  composerId?: string;
  composerSelf: boolean;
  idScheme?: string;
  idNamespace?: string;
  time?: string;
  endTime?: string;
  historyOrigin?: string;
  actionTime?: string;
  activityTiming?: string;
  ismCurrentState?: Obj;
  instructionNarrative?: string;
  providerName?: string;
  providerId?: string;
  facilityName?: string;
  facilityId?: string;
  location?: string;
  setting?: Obj;
  participations: Obj[];
  workFlowId?: Obj;
}

const ISM_STATES: Record<string, string> = {
  '524': 'initial',
  '526': 'planned',
  '527': 'postponed',
  '528': 'cancelled',
  '529': 'scheduled',
  '530': 'suspended',
  '531': 'aborted',
  '532': 'completed',
  '533': 'expired',
  '245': 'active',
};

function lookup(key: string, table: Record<string, string>, v: string, what: string): Obj {
  const code = table[v] !== undefined ? v : Object.keys(table).find((c) => table[c] === v);
  if (code === undefined)
    throw new FlatCodecError(`FLAT key "${key}": "${v}" is not an openEHR ${what} (code or text)`, [key]);
  return codedText('openehr', code, table[code]!);
}

/** A ctx date-time as EHRbase prints one made from a java.time value: always with a fraction (`…:00.0Z`). */
export function ctxDateTime(key: string, v: unknown): string {
  if (typeof v === 'string' && v.trim().toLowerCase() === 'now') return nowText();
  const text = typeof v === 'string' ? normaliseTemporal('DV_DATE_TIME', v) : undefined;
  const parts = typeof v === 'string' ? parseTemporal('DV_DATE_TIME', v) : undefined;
  if (text === undefined || !parts) throw valueError(key, 'an ISO 8601 date-time', v);
  if (parts.hour === undefined) return `${text}T00:00:00.0`;
  if (parts.fraction !== undefined) return text;
  const offsetAt = text.search(/(Z|[+-]\d{2}:\d{2})$/);
  const local = offsetAt < 0 ? text : text.slice(0, offsetAt);
  const offset = offsetAt < 0 ? '' : text.slice(offsetAt);
  const withSeconds =
    parts.second === undefined ? `${local}${parts.minute === undefined ? ':00' : ''}:00` : local;
  return `${withSeconds}.0${offset}`;
}

/** The current instant with millisecond fraction, UTC. */
export function nowText(): string {
  return new Date().toISOString();
}

export function readCtx(ctx: Map<string, unknown>): CtxDefaults {
  const get = (name: string): [string, unknown] | undefined => {
    for (const [k, v] of ctx) {
      if (k === `ctx/${name}` || k.startsWith(`ctx/${name}|`) || k.startsWith(`ctx/${name}:`)) return [k, v];
    }
    return undefined;
  };
  const str = (name: string): string | undefined => {
    const e = get(name);
    return e === undefined || e[1] === null ? undefined : String(e[1]);
  };
  const exact = (k: string): string | undefined => {
    const v = ctx.get(k);
    return v === undefined || v === null ? undefined : String(v);
  };
  const d: CtxDefaults = {
    composerSelf: ctx.get('ctx/composer_self') === true || ctx.get('ctx/composer_self') === 'true',
    participations: [],
  };
  d.language = exact('ctx/language') ?? str('language');
  d.territory = exact('ctx/territory') ?? str('territory');
  d.composerName = str('composer_name');
  d.composerId = str('composer_id');
  d.idScheme = str('id_scheme');
  d.idNamespace = str('id_namespace');
  for (const [name, field] of [
    ['time', 'time'],
    ['end_time', 'endTime'],
    ['history_origin', 'historyOrigin'],
    ['action_time', 'actionTime'],
  ] as const) {
    const e = ctx.has(`ctx/${name}`) ? ([`ctx/${name}`, ctx.get(`ctx/${name}`)] as const) : undefined;
    if (e && e[1] !== null && e[1] !== undefined) d[field] = ctxDateTime(e[0], e[1]);
  }
  d.activityTiming = str('activity_timing');
  const ism = get('action_ism_transition_current_state');
  if (ism) d.ismCurrentState = lookup(ism[0], ISM_STATES, String(ism[1]), 'ISM state');
  d.instructionNarrative = str('instruction_narrative');
  d.providerName = str('provider_name');
  d.providerId = str('provider_id');
  d.facilityName = exact('ctx/health_care_facility|name');
  d.facilityId = exact('ctx/health_care_facility|id');
  d.location = str('location');
  const setting = get('setting');
  if (setting) d.setting = lookup(setting[0], OPENEHR_SETTINGS, String(setting[1]), 'setting');
  const wf = exact('ctx/work_flow_id|id');
  if (wf !== undefined) {
    d.workFlowId = {
      _type: 'OBJECT_REF',
      id: { _type: 'GENERIC_ID', value: wf, scheme: exact('ctx/work_flow_id|id_scheme') ?? d.idScheme ?? '' },
      namespace: exact('ctx/work_flow_id|namespace') ?? d.idNamespace ?? '',
      type: exact('ctx/work_flow_id|type') ?? 'ANY',
    };
  }
  d.participations = readParticipations(ctx, d);
  return d;
}

function readParticipations(ctx: Map<string, unknown>, d: CtxDefaults): Obj[] {
  const byIndex = new Map<number, Map<string, [string, unknown]>>();
  for (const [k, v] of ctx) {
    const m = /^ctx\/participation_([a-z]+)(?::(\d+))?(\|.*)?$/.exec(k);
    if (!m) continue;
    const i = Number(m[2] ?? 0);
    let fields = byIndex.get(i);
    if (!fields) {
      fields = new Map();
      byIndex.set(i, fields);
    }
    fields.set(`${m[1]}${m[3] ?? ''}`, [k, v]);
  }
  return [...byIndex.keys()]
    .sort((a, b) => a - b)
    .map((i) => {
      const f = byIndex.get(i)!;
      const s = (n: string) =>
        f.get(n)?.[1] === undefined || f.get(n)?.[1] === null ? undefined : String(f.get(n)![1]);
      const performer: Obj = { _type: 'PARTY_IDENTIFIED' };
      const id = s('id');
      if (id !== undefined)
        performer.external_ref = {
          _type: 'PARTY_REF',
          id: { _type: 'GENERIC_ID', value: id, scheme: d.idScheme ?? '' },
          namespace: d.idNamespace ?? '',
          type: 'PARTY',
        };
      const name = s('name');
      if (name !== undefined) performer.name = name;
      const identifiers: Obj[] = [];
      const compact = s('identifiers');
      if (compact !== undefined) {
        for (const part of compact.split(';')) {
          const [issuer, assigner, idv, type] = part.split('::');
          identifiers.push({ _type: 'DV_IDENTIFIER', issuer, assigner, id: idv, type });
        }
      }
      for (const [name2, [, v]] of f) {
        const m = /^identifiers\|(id|issuer|assigner|type):(\d+)$/.exec(name2);
        if (!m) continue;
        const j = Number(m[2]);
        identifiers[j] ??= { _type: 'DV_IDENTIFIER' };
        identifiers[j]![m[1]!] = String(v);
      }
      const present = identifiers.filter((x) => x);
      if (present.length) performer.identifiers = present;
      const p: Obj = {
        _type: 'PARTICIPATION',
        function: { _type: 'DV_TEXT', value: s('function') ?? 'unknown' },
      };
      const mode = f.get('mode');
      if (mode) p.mode = modeFromText(mode[0], String(mode[1]));
      p.performer = performer;
      return p;
    });
}

export const LANGUAGE = (code: string): Obj => codePhrase('ISO_639-1', code);
export const TERRITORY = (code: string): Obj => codePhrase('ISO_3166-1', code);
export const OTHER_CARE = (): Obj => codedText('openehr', '238', 'other care');
