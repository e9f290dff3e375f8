import { identifierFromFlat, identifierToFlat, miscFromFlat, miscToFlat } from './dv-misc.js';
import { FlatCodecError } from './errors.js';
import type { FlatNode } from './flat-tree.js';
import { type FlatOut, list, type Obj, obj } from './out.js';
import { partyFromFlat, partyToFlat } from './party.js';
import { normaliseTemporal } from './temporal.js';
import { asText } from './values.js';

/** FEEDER_AUDIT under `p/_feeder_audit/…` and its `|raw` form (flat-codec-rules.md §3.20, §2.6). */

function put(out: FlatOut, key: string, v: unknown): void {
  if (v !== undefined && v !== null) out.put(key, v);
}

function detailsToFlat(out: FlatOut, key: string, d: Obj | undefined): void {
  if (!d) return;
  put(out, `${key}|system_id`, d.system_id);
  put(out, `${key}|version_id`, d.version_id);
  const time = obj(d.time)?.value;
  put(
    out,
    `${key}|time`,
    typeof time === 'string' ? (normaliseTemporal('DV_DATE_TIME', time) ?? time) : time,
  );
  for (const party of ['location', 'provider'] as const) {
    const p = obj(d[party]);
    if (p) partyToFlat(out, `${key}/${party}`, p);
  }
  const subject = obj(d.subject);
  if (subject?._type === 'PARTY_SELF') out.put(`${key}/subject|_type`, 'PARTY_SELF');
  else if (subject) partyToFlat(out, `${key}/subject`, subject);
}

export function feederAuditToFlat(out: FlatOut, key: string, fa: Obj): void {
  const content = obj(fa.original_content);
  if (content?._type === 'DV_MULTIMEDIA') miscToFlat(out, `${key}/original_content_multimedia`, content);
  else if (content) miscToFlat(out, `${key}/original_content`, content);
  list(fa.originating_system_item_ids).forEach((id, i) => {
    identifierToFlat(out, `${key}/originating_system_item_id:${i}`, id);
  });
  list(fa.feeder_system_item_ids).forEach((id, i) => {
    identifierToFlat(out, `${key}/feeder_system_item_id:${i}`, id);
  });
  detailsToFlat(out, `${key}/originating_system_audit`, obj(fa.originating_system_audit));
  detailsToFlat(out, `${key}/feeder_system_audit`, obj(fa.feeder_system_audit));
}

function text(n: FlatNode, attr: string): string | undefined {
  const v = n.take(attr);
  return v === undefined ? undefined : asText(n.keyOf(attr), v);
}

function detailsFromFlat(n: FlatNode | undefined): Obj | undefined {
  if (!n) return undefined;
  const d: Obj = { _type: 'FEEDER_AUDIT_DETAILS' };
  const systemId = text(n, '|system_id');
  d.system_id = systemId ?? '';
  for (const party of ['location', 'provider', 'subject'] as const) {
    const p = partyFromFlat(n.one(party));
    if (p) d[party] = p;
  }
  const time = text(n, '|time');
  if (time !== undefined)
    d.time = { _type: 'DV_DATE_TIME', value: normaliseTemporal('DV_DATE_TIME', time) ?? time };
  const version = text(n, '|version_id');
  if (version !== undefined) d.version_id = version;
  return d;
}

export function feederAuditFromFlat(n: FlatNode): Obj | undefined {
  const raw = n.take('|raw');
  if (raw !== undefined) return parseRaw(n.keyOf('|raw'), raw);
  const fa: Obj = { _type: 'FEEDER_AUDIT' };
  const origIds = n
    .list('originating_system_item_id')
    .map((i) => (i ? identifierFromFlat(i) : undefined))
    .filter((x) => x);
  if (origIds.length) fa.originating_system_item_ids = origIds;
  const feederIds = n
    .list('feeder_system_item_id')
    .map((i) => (i ? identifierFromFlat(i) : undefined))
    .filter((x) => x);
  if (feederIds.length) fa.feeder_system_item_ids = feederIds;
  const parsable = n.one('original_content');
  const multimedia = n.one('original_content_multimedia');
  const content = parsable
    ? miscFromFlat(parsable, 'DV_PARSABLE')
    : multimedia
      ? miscFromFlat(multimedia, 'DV_MULTIMEDIA')
      : undefined;
  if (content) fa.original_content = content;
  fa.originating_system_audit = detailsFromFlat(n.one('originating_system_audit')) ?? {
    _type: 'FEEDER_AUDIT_DETAILS',
    system_id: '',
  };
  const feeder = detailsFromFlat(n.one('feeder_system_audit'));
  if (feeder) fa.feeder_system_audit = feeder;
  return fa;
}

/** `…|raw`: a JSON string of canonical RM JSON; Better's `@class` is taken as `_type`. */
export function parseRaw(key: string, raw: unknown): Obj {
  if (typeof raw !== 'string')
    throw new FlatCodecError(`FLAT key "${key}": |raw must be a string of canonical JSON`, [key]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new FlatCodecError(`FLAT key "${key}": |raw is not valid JSON (${(err as Error).message})`, [key]);
  }
  const o = obj(parsed);
  if (!o) throw new FlatCodecError(`FLAT key "${key}": |raw must hold a JSON object`, [key]);
  return renameClass(o) as Obj;
}

function renameClass(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(renameClass);
  const o = obj(v);
  if (!o) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(o)) out[k === '@class' ? '_type' : k] = renameClass(x);
  return out;
}
