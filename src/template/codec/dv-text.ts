import type { FlatNode } from './flat-tree.js';
import { codePhrase, type FlatOut, list, type Obj, obj } from './out.js';
import type { WebTemplateNode } from './types.js';
import { asText } from './values.js';

/** DV_TEXT, DV_CODED_TEXT, CODE_PHRASE and TERM_MAPPING (flat-codec-rules.md §3.1–3.3, §2.5). */

export function codePhraseToFlat(out: FlatOut, key: string, cp: Obj | undefined): void {
  if (!cp) return;
  put(out, `${key}|code`, cp.code_string);
  put(out, `${key}|terminology`, obj(cp.terminology_id)?.value);
  put(out, `${key}|preferred_term`, cp.preferred_term);
}

export function codePhraseFromFlat(n: FlatNode | undefined): Obj | undefined {
  if (!n) return undefined;
  const code = n.take('|code');
  const terminology = n.take('|terminology');
  const preferred = n.take('|preferred_term');
  if (code === undefined && terminology === undefined) return undefined;
  return codePhrase(
    terminology === undefined ? 'local' : asText(n.keyOf('|terminology'), terminology),
    code === undefined ? '' : asText(n.keyOf('|code'), code),
    preferred === undefined ? undefined : asText(n.keyOf('|preferred_term'), preferred),
  );
}

function put(out: FlatOut, key: string, v: unknown): void {
  if (v !== undefined && v !== null) out.put(key, v);
}

export function hasOtherInput(node: WebTemplateNode | undefined): boolean {
  return node?.inputs?.some((i) => i.suffix === 'other') ?? false;
}

/** DV_TEXT or DV_CODED_TEXT value at `key` (the node decides between bare text and `|other`). */
export function textToFlat(out: FlatOut, key: string, v: Obj, node?: WebTemplateNode): void {
  if (v._type === 'DV_CODED_TEXT') {
    const dc = obj(v.defining_code);
    put(out, `${key}|code`, dc?.code_string);
    put(out, `${key}|value`, v.value);
    put(out, `${key}|terminology`, obj(dc?.terminology_id)?.value);
  } else if (hasOtherInput(node)) put(out, `${key}|other`, v.value);
  else put(out, key, v.value);
  put(out, `${key}|formatting`, v.formatting);
  textExtrasToFlat(out, key, v);
}

function textExtrasToFlat(out: FlatOut, key: string, v: Obj): void {
  list(v.mappings).forEach((m, i) => {
    const p = `${key}/_mapping:${i}`;
    put(out, `${p}|match`, m.match);
    const target = obj(m.target);
    put(out, `${p}/target|preferred_term`, target?.preferred_term);
    put(out, `${p}/target|code`, target?.code_string);
    put(out, `${p}/target|terminology`, obj(target?.terminology_id)?.value);
    const purpose = obj(m.purpose);
    if (purpose) textToFlat(out, `${p}/purpose`, purpose);
  });
  codePhraseToFlat(out, `${key}/_language`, obj(v.language));
  codePhraseToFlat(out, `${key}/_encoding`, obj(v.encoding));
}

function textExtrasFromFlat(n: FlatNode, v: Obj): void {
  const mappings = n
    .list('_mapping')
    .map((m) => {
      if (!m) return undefined;
      const match = m.take('|match');
      const target = codePhraseFromFlat(m.one('target'));
      const purposeNode = m.one('purpose');
      const purpose = purposeNode ? textFromFlat(purposeNode, undefined) : undefined;
      return {
        _type: 'TERM_MAPPING',
        ...(match !== undefined ? { match: asText(m.keyOf('|match'), match) } : {}),
        ...(purpose ? { purpose } : {}),
        ...(target ? { target } : {}),
      };
    })
    .filter((m) => m !== undefined);
  if (mappings.length) v.mappings = mappings;
  const language = codePhraseFromFlat(n.one('_language'));
  if (language) v.language = language;
  const encoding = codePhraseFromFlat(n.one('_encoding'));
  if (encoding) v.encoding = encoding;
}

/**
 * FLAT → DV_TEXT / DV_CODED_TEXT (§3.1, §3.2): any `|code` makes a coded text; listed codes take the template's
 * label and terminology; an open list's `|other` is a plain text.
 */
export function textFromFlat(n: FlatNode, node: WebTemplateNode | undefined): Obj | undefined {
  const codeInput = node?.inputs?.find((i) => i.suffix === 'code' || (!i.suffix && i.list));
  const other = hasOtherInput(node) ? n.take('|other') : undefined;
  let code = n.take('|code');
  let value = n.take('|value');
  let terminology = n.take('|terminology');
  const bare = n.take('');
  const formatting = n.take('|formatting');
  const coded = node?.rmType === 'DV_CODED_TEXT';
  let result: Obj | undefined;
  if (other !== undefined && code === undefined) {
    result = { _type: 'DV_TEXT', value: asText(n.keyOf('|other'), other) };
  } else if (code !== undefined || (coded && (bare !== undefined || value !== undefined))) {
    if (code === undefined && value === undefined && bare !== undefined) {
      const b = asText(n.keyOf(''), bare);
      const item = codeInput?.list?.find((l) => l.value === b) ?? codeInput?.list?.find((l) => l.label === b);
      code = item?.value ?? b;
    } else if (code === undefined && bare !== undefined) code = bare;
    const item =
      code !== undefined
        ? codeInput?.list?.find((l) => l.value === String(code))
        : codeInput?.list?.find((l) => l.label === value);
    if (item) {
      code = item.value;
      if (item.label !== undefined) value = item.label;
    }
    terminology ??= codeInput?.terminology ?? 'local';
    if (code === undefined) return undefined;
    result = {
      _type: 'DV_CODED_TEXT',
      value: value === undefined ? String(code) : asText(n.keyOf('|value'), value),
      defining_code: codePhrase(asText(n.keyOf('|terminology'), terminology), asText(n.keyOf('|code'), code)),
    };
  } else if (bare !== undefined || value !== undefined) {
    result = { _type: 'DV_TEXT', value: asText(n.keyOf(bare !== undefined ? '' : '|value'), bare ?? value) };
  }
  if (!result) return undefined;
  if (formatting !== undefined) result.formatting = asText(n.keyOf('|formatting'), formatting);
  textExtrasFromFlat(n, result);
  return result;
}
