/**
 * Canonical JSON → canonical XML (`Accept: application/xml`): one element per attribute, arrays as
 * repeated elements, `archetype_node_id` as an XML attribute and `_type` as `xsi:type` (omitted where the
 * schema type is implied is not tracked; EHRbase emits it on polymorphic attributes, we emit it always).
 */
function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, value: unknown, indent: string, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) element(name, item, indent, out);
    return;
  }
  if (typeof value !== 'object') {
    out.push(`${indent}<${name}>${escapeXml(String(value))}</${name}>`);
    return;
  }
  const o = value as Record<string, unknown>;
  let attrs = '';
  if (typeof o.archetype_node_id === 'string')
    attrs += ` archetype_node_id="${escapeXml(o.archetype_node_id)}"`;
  if (typeof o._type === 'string') attrs += ` xsi:type="${escapeXml(o._type)}"`;
  const children = Object.entries(o).filter(([k]) => k !== '_type' && k !== 'archetype_node_id');
  if (children.length === 0) {
    out.push(`${indent}<${name}${attrs}/>`);
    return;
  }
  out.push(`${indent}<${name}${attrs}>`);
  for (const [k, v] of children) element(k, v, `${indent}    `, out);
  out.push(`${indent}</${name}>`);
}

export function canonicalToXml(composition: Record<string, unknown>): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const { _type: _ignored, archetype_node_id, ...rest } = composition;
  const id =
    typeof archetype_node_id === 'string' ? ` archetype_node_id="${escapeXml(archetype_node_id)}"` : '';
  out.push(
    `<composition xmlns="http://schemas.openehr.org/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"${id}>`,
  );
  for (const [k, v] of Object.entries(rest)) element(k, v, '    ', out);
  out.push('</composition>');
  return out.join('\n');
}
