import { identifierFromFlat, identifierToFlat } from './dv-misc.js';
import { textFromFlat, textToFlat } from './dv-text.js';
import { FlatCodecError } from './errors.js';
import type { FlatNode } from './flat-tree.js';
import { codedText, type FlatOut, list, type Obj, obj } from './out.js';
import { asText } from './values.js';

/**
 * PARTY_PROXY (PARTY_SELF / PARTY_IDENTIFIED / PARTY_RELATED), PARTICIPATION and OBJECT_REF keys
 * (flat-codec-rules.md §3.16, §3.17, `_work_flow_id`, `_guideline_id` in §2.5).
 */
function put(out: FlatOut, key: string, v: unknown): void {
  if (v !== undefined && v !== null) out.put(key, v);
}

function text(n: FlatNode, attr: string): string | undefined {
  const v = n.take(attr);
  return v === undefined ? undefined : asText(n.keyOf(attr), v);
}

export function partyToFlat(out: FlatOut, key: string, p: Obj): void {
  const ref = obj(p.external_ref);
  const id = obj(ref?.id);
  if (p._type !== 'PARTY_SELF') put(out, `${key}|name`, p.name);
  put(out, `${key}|id`, id?.value);
  if (id?._type === 'GENERIC_ID' || id?.scheme !== undefined) put(out, `${key}|id_scheme`, id?.scheme);
  put(out, `${key}|id_namespace`, ref?.namespace);
  list(p.identifiers).forEach((ident, i) => {
    identifierToFlat(out, `${key}/_identifier:${i}`, ident);
  });
  const rel = obj(p.relationship);
  if (p._type === 'PARTY_RELATED' && rel) textToFlat(out, `${key}/relationship`, rel);
}

/** A PARTY_REF from FLAT keys; scheme and namespace stay absent when not given, so FLAT round-trips exactly. */
function partyRef(
  id: string,
  scheme: string | undefined,
  namespace: string | undefined,
  type = 'PARTY',
): Obj {
  const genericId: Obj = { _type: 'GENERIC_ID', value: id };
  if (scheme !== undefined) genericId.scheme = scheme;
  return { _type: 'PARTY_REF', id: genericId, ...(namespace !== undefined ? { namespace } : {}), type };
}

/** FLAT → PARTY_PROXY; the keys present choose the subtype (§3.16). `undefined`: no party keys at all. */
export function partyFromFlat(n: FlatNode | undefined): Obj | undefined {
  if (!n) return undefined;
  const forced = n.take('|_type');
  const relationship = n.one('relationship');
  const idents = n.list('_identifier');
  const named = n.has('|name') || n.has('|id') || idents.length > 0 || relationship !== undefined;
  const id = text(n, '|id');
  const scheme = text(n, '|id_scheme');
  const namespace = text(n, '|id_namespace');
  if (forced === 'PARTY_SELF' || !named) {
    if (forced === undefined && id === undefined) return undefined;
    return {
      _type: 'PARTY_SELF',
      ...(id !== undefined ? { external_ref: partyRef(id, scheme, namespace) } : {}),
    };
  }
  const name =
    text(n, '|name') ??
    (n.one('name') ? text(n.one('name')!, '') : undefined) ??
    (n.one('_name') ? text(n.one('_name')!, '') : undefined);
  const p: Obj = { _type: relationship ? 'PARTY_RELATED' : 'PARTY_IDENTIFIED' };
  if (id !== undefined) p.external_ref = partyRef(id, scheme, namespace);
  if (name !== undefined) p.name = name;
  const identifiers = idents
    .map((i) => (i ? identifierFromFlat(i) : undefined))
    .filter((i) => i !== undefined);
  if (identifiers.length) p.identifiers = identifiers;
  if (relationship) {
    const rel = textFromFlat(relationship, undefined);
    if (rel) p.relationship = rel;
  }
  return p;
}

const MODES: Record<string, string> = {
  '193': 'not specified',
  '216': 'face-to-face communication',
  '222': 'interpreted face-to-face communication',
  '194': 'signing',
  '195': 'interpreted signing',
  '202': 'videoconferencing',
  '203': 'interpreted videoconferencing',
  '204': 'telephone',
  '205': 'interpreted telephone',
  '212': 'written communication',
  '213': 'interpreted written communication',
  '198': 'physically present',
  '217': 'physically absent',
  '218': 'email',
  '223': 'fax',
  '219': 'chat',
};

export function modeFromText(key: string, v: string): Obj {
  const code = MODES[v] !== undefined ? v : Object.keys(MODES).find((c) => MODES[c] === v);
  if (code === undefined)
    throw new FlatCodecError(
      `FLAT key "${key}": "${v}" is not an openEHR participation mode (code or text, e.g. "face-to-face communication")`,
      [key],
    );
  return codedText('openehr', code, MODES[code]!);
}

export function participationToFlat(out: FlatOut, key: string, p: Obj): void {
  put(out, `${key}|function`, obj(p.function)?.value);
  put(out, `${key}|mode`, obj(p.mode)?.value);
  const performer = obj(p.performer);
  if (performer) {
    const ref = obj(performer.external_ref);
    put(out, `${key}|name`, performer.name);
    put(out, `${key}|id`, obj(ref?.id)?.value);
    put(out, `${key}|id_scheme`, obj(ref?.id)?.scheme);
    put(out, `${key}|id_namespace`, ref?.namespace);
    list(performer.identifiers).forEach((ident, j) => {
      put(out, `${key}|identifiers_id:${j}`, ident.id);
      put(out, `${key}|identifiers_issuer:${j}`, ident.issuer);
      put(out, `${key}|identifiers_assigner:${j}`, ident.assigner);
      put(out, `${key}|identifiers_type:${j}`, ident.type);
    });
    const rel = obj(performer.relationship);
    if (performer._type === 'PARTY_RELATED' && rel) textToFlat(out, `${key}/relationship`, rel);
  }
}

export function participationFromFlat(n: FlatNode): Obj | undefined {
  const fn = text(n, '|function');
  const mode = text(n, '|mode');
  const name = text(n, '|name');
  const id = text(n, '|id');
  const scheme = text(n, '|id_scheme');
  const namespace = text(n, '|id_namespace');
  const indices = new Set(
    n
      .attrNames('|identifiers_')
      .map((a) => Number(a.slice(a.lastIndexOf(':') + 1)))
      .filter(Number.isInteger),
  );
  const identifiers = [...indices]
    .sort((a, b) => a - b)
    .map((j) => {
      const ident: Obj = { _type: 'DV_IDENTIFIER' };
      for (const f of ['issuer', 'assigner', 'id', 'type']) {
        const v = text(n, `|identifiers_${f}:${j}`);
        if (v !== undefined) ident[f] = v;
      }
      return ident;
    });
  const relationship = n.one('relationship');
  if ([fn, mode, name, id].every((x) => x === undefined) && identifiers.length === 0 && !relationship)
    return undefined;
  const performer: Obj = {
    _type: relationship
      ? 'PARTY_RELATED'
      : name !== undefined || id !== undefined || identifiers.length
        ? 'PARTY_IDENTIFIED'
        : 'PARTY_SELF',
  };
  if (id !== undefined) performer.external_ref = partyRef(id, scheme, namespace);
  if (name !== undefined) performer.name = name;
  if (identifiers.length) performer.identifiers = identifiers;
  if (relationship) {
    const rel = textFromFlat(relationship, undefined);
    if (rel) performer.relationship = rel;
  }
  const p: Obj = { _type: 'PARTICIPATION' };
  if (fn !== undefined) p.function = { _type: 'DV_TEXT', value: fn };
  if (mode !== undefined) p.mode = modeFromText(n.keyOf('|mode'), mode);
  p.performer = performer;
  return p;
}

/** OBJECT_REF with a GENERIC_ID (`_work_flow_id`, `_guideline_id`): `|id`, `|id_scheme`, `|namespace`, `|type`. */
export function objectRefToFlat(out: FlatOut, key: string, ref: Obj | undefined): void {
  if (!ref) return;
  put(out, `${key}|id`, obj(ref.id)?.value);
  put(out, `${key}|id_scheme`, obj(ref.id)?.scheme);
  put(out, `${key}|namespace`, ref.namespace);
  put(out, `${key}|type`, ref.type);
}

export function objectRefFromFlat(n: FlatNode | undefined): Obj | undefined {
  if (!n) return undefined;
  const id = text(n, '|id');
  const scheme = text(n, '|id_scheme');
  const namespace = text(n, '|namespace');
  const type = text(n, '|type');
  if (id === undefined) return undefined;
  return {
    _type: 'OBJECT_REF',
    id: { _type: 'GENERIC_ID', value: id, ...(scheme !== undefined ? { scheme } : {}) },
    ...(namespace !== undefined ? { namespace } : {}),
    type: type ?? 'ANY',
  };
}
