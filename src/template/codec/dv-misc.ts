import { codePhraseFromFlat, codePhraseToFlat } from './dv-text.js';
import type { FlatNode } from './flat-tree.js';
import { codePhrase, type FlatOut, type Obj, obj } from './out.js';
import type { WebTemplateNode } from './types.js';
import { asBoolean, asInteger, asText } from './values.js';

/**
 * DV_BOOLEAN, DV_IDENTIFIER, DV_MULTIMEDIA, DV_PARSABLE, DV_URI, DV_EHR_URI, DV_STATE
 * (flat-codec-rules.md §3.11–3.13, §3.18, §3.19, §3.23).
 */
export const MISC_TYPES = new Set([
  'DV_BOOLEAN',
  'DV_IDENTIFIER',
  'DV_MULTIMEDIA',
  'DV_PARSABLE',
  'DV_URI',
  'DV_EHR_URI',
  'DV_STATE',
  'STRING',
]);

function put(out: FlatOut, key: string, v: unknown): void {
  if (v !== undefined && v !== null) out.put(key, v);
}

function text(n: FlatNode, attr: string): string | undefined {
  const v = n.take(attr);
  return v === undefined ? undefined : asText(n.keyOf(attr), v);
}

export function identifierToFlat(out: FlatOut, key: string, v: Obj): void {
  put(out, `${key}|id`, v.id);
  put(out, `${key}|issuer`, v.issuer);
  put(out, `${key}|assigner`, v.assigner);
  put(out, `${key}|type`, v.type);
}

export function identifierFromFlat(n: FlatNode): Obj | undefined {
  const id = text(n, '|id') ?? text(n, '');
  const issuer = text(n, '|issuer');
  const assigner = text(n, '|assigner');
  const type = text(n, '|type');
  if (id === undefined && issuer === undefined && assigner === undefined && type === undefined)
    return undefined;
  const v: Obj = { _type: 'DV_IDENTIFIER' };
  if (issuer !== undefined) v.issuer = issuer;
  if (assigner !== undefined) v.assigner = assigner;
  v.id = id ?? '';
  if (type !== undefined) v.type = type;
  return v;
}

const ENCAPSULATED_TERMINOLOGY = {
  media_type: 'IANA_media-types',
  compression_algorithm: 'openehr_compression_algorithms',
  integrity_check_algorithm: 'openehr_integrity_check_algorithms',
} as const;

export function miscToFlat(out: FlatOut, key: string, v: Obj, node?: WebTemplateNode): void {
  switch (v._type) {
    case 'DV_IDENTIFIER':
      identifierToFlat(out, key, v);
      return;
    case 'DV_MULTIMEDIA':
      put(out, key, obj(v.uri)?.value);
      put(out, `${key}|mediatype`, obj(v.media_type)?.code_string);
      put(out, `${key}|compression_algorithm`, obj(v.compression_algorithm)?.code_string);
      put(out, `${key}|integrity_check_algorithm`, obj(v.integrity_check_algorithm)?.code_string);
      put(out, `${key}|integrity_check`, v.integrity_check);
      put(out, `${key}|data`, v.data);
      put(out, `${key}|size`, v.size);
      put(out, `${key}|alternatetext`, v.alternate_text);
      if (obj(v.thumbnail)) miscToFlat(out, `${key}/_thumbnail`, obj(v.thumbnail)!);
      codePhraseToFlat(out, `${key}/_language`, obj(v.language));
      codePhraseToFlat(out, `${key}/_charset`, obj(v.charset));
      return;
    case 'DV_PARSABLE':
      put(out, node?.id === 'wf_definition' ? `${key}|value` : key, v.value);
      put(out, `${key}|formalism`, v.formalism);
      codePhraseToFlat(out, `${key}/_language`, obj(v.language));
      codePhraseToFlat(out, `${key}/_charset`, obj(v.charset));
      return;
    case 'DV_STATE': {
      // No FLAT form in EHRbase (§3.23); Atlas writes the state like a coded text plus `|is_terminal`.
      const state = obj(v.value);
      const dc = obj(state?.defining_code);
      put(out, `${key}|code`, dc?.code_string);
      put(out, `${key}|value`, state?.value);
      put(out, `${key}|terminology`, obj(dc?.terminology_id)?.value);
      put(out, `${key}|is_terminal`, v.is_terminal);
      return;
    }
    default:
      // DV_BOOLEAN, DV_URI, DV_EHR_URI; a plain STRING node (action_archetype_id) holds the string itself.
      put(out, key, v.value);
  }
}

export function miscFromFlat(n: FlatNode, type: string, node?: WebTemplateNode): Obj | undefined {
  switch (type) {
    case 'DV_IDENTIFIER':
      return identifierFromFlat(n);
    case 'DV_BOOLEAN': {
      const v = n.take('');
      return v === undefined ? undefined : { _type: 'DV_BOOLEAN', value: asBoolean(n.keyOf(''), v) };
    }
    case 'DV_URI':
    case 'DV_EHR_URI': {
      const v = text(n, '');
      return v === undefined ? undefined : { _type: type, value: v };
    }
    case 'DV_PARSABLE': {
      const value = text(n, '|value') ?? text(n, '');
      const formalism = text(n, '|formalism');
      if (value === undefined && formalism === undefined) return undefined;
      const v: Obj = {
        _type: 'DV_PARSABLE',
        value: value ?? '',
        formalism: formalism ?? (node?.id === 'timing' ? 'timing' : ''),
      };
      encapsulatedExtras(n, v);
      return v;
    }
    case 'DV_MULTIMEDIA': {
      const uri = text(n, '|url') ?? text(n, '');
      const media = text(n, '|mediatype');
      const v: Obj = { _type: 'DV_MULTIMEDIA' };
      const alt = text(n, '|alternatetext');
      if (alt !== undefined) v.alternate_text = alt;
      if (uri !== undefined) v.uri = { _type: 'DV_URI', value: uri };
      const data = text(n, '|data');
      if (data !== undefined) v.data = data;
      if (media !== undefined) v.media_type = codePhrase(ENCAPSULATED_TERMINOLOGY.media_type, media);
      for (const attr of ['compression_algorithm', 'integrity_check_algorithm'] as const) {
        const c = text(n, `|${attr}`);
        if (c !== undefined) v[attr] = codePhrase(ENCAPSULATED_TERMINOLOGY[attr], c);
      }
      const check = text(n, '|integrity_check');
      if (check !== undefined) v.integrity_check = check;
      const size = n.take('|size');
      if (size !== undefined) v.size = asInteger(n.keyOf('|size'), size);
      const thumb = n.one('_thumbnail');
      const thumbnail = thumb ? miscFromFlat(thumb, 'DV_MULTIMEDIA') : undefined;
      if (thumbnail) v.thumbnail = thumbnail;
      encapsulatedExtras(n, v);
      return Object.keys(v).length > 1 ? v : undefined;
    }
    case 'DV_STATE': {
      const code = text(n, '|code');
      const value = text(n, '|value');
      const terminology = text(n, '|terminology');
      const terminal = n.take('|is_terminal');
      if (code === undefined) return undefined;
      return {
        _type: 'DV_STATE',
        value: {
          _type: 'DV_CODED_TEXT',
          value: value ?? code,
          defining_code: codePhrase(terminology ?? 'local', code),
        },
        is_terminal: terminal === undefined ? false : asBoolean(n.keyOf('|is_terminal'), terminal),
      };
    }
    case 'STRING': {
      const v = text(n, '');
      return v === undefined ? undefined : { _type: 'STRING', value: v };
    }
    default:
      return undefined;
  }
}

function encapsulatedExtras(n: FlatNode, v: Obj): void {
  const language = codePhraseFromFlat(n.one('_language'));
  if (language) v.language = language;
  const charset = codePhraseFromFlat(n.one('_charset'));
  if (charset) v.charset = charset;
}
