import { SaxesParser } from 'saxes';

/**
 * Canonical XML → canonical JSON (POST/PUT with `Content-Type: application/xml`): the inverse of
 * canonicalToXml. XML carries no JSON types, so the RM decides: attributes that are lists in the RM become
 * arrays, and the numeric and boolean RM fields become numbers and booleans; everything else is a string.
 */
const LIST_ATTRIBUTES = new Set([
  'content',
  'items',
  'events',
  'activities',
  'participations',
  'other_participations',
  'links',
  'mappings',
  'other_reference_ranges',
  'identifiers',
  'feeder_system_item_ids',
  'originating_system_item_ids',
  'rows',
]);

const BOOLEANS = new Set([
  'lower_included',
  'upper_included',
  'lower_unbounded',
  'upper_unbounded',
  'accuracy_is_percent',
  'is_terminal',
]);

const NUMBERS = new Set([
  'magnitude',
  'precision',
  'numerator',
  'denominator',
  'size',
  'accuracy',
  'symbol_value',
]);

/** Types whose `value` is a number (DV_COUNT, DV_ORDINAL, DV_SCALE) or a boolean (DV_BOOLEAN). */
const NUMERIC_VALUE = new Set(['DV_COUNT', 'DV_ORDINAL', 'DV_SCALE']);

export class XmlCompositionError extends Error {}

interface Node {
  name: string;
  type?: string;
  nodeId?: string;
  children: Node[];
  text: string;
}

function primitive(field: string, parentType: string | undefined, text: string): unknown {
  if (BOOLEANS.has(field) || (field === 'value' && parentType === 'DV_BOOLEAN')) return text === 'true';
  if (
    NUMBERS.has(field) ||
    (field === 'value' && NUMERIC_VALUE.has(parentType ?? '')) ||
    (field === 'type' && parentType === 'DV_PROPORTION')
  ) {
    const n = Number(text);
    if (Number.isNaN(n)) throw new XmlCompositionError(`<${field}> must be a number, found '${text}'`);
    return n;
  }
  return text;
}

function toJson(node: Node, parentType: string | undefined): unknown {
  if (node.children.length === 0 && node.type === undefined && node.nodeId === undefined)
    return primitive(node.name, parentType, node.text);
  const out: Record<string, unknown> = {};
  if (node.type !== undefined) out._type = node.type;
  if (node.nodeId !== undefined) out.archetype_node_id = node.nodeId;
  for (const c of node.children) {
    const value = toJson(c, node.type);
    if (!LIST_ATTRIBUTES.has(c.name)) out[c.name] = value;
    else if (Array.isArray(out[c.name])) (out[c.name] as unknown[]).push(value);
    else out[c.name] = [value];
  }
  return out;
}

export function xmlToCanonical(xml: string): Record<string, unknown> {
  const parser = new SaxesParser({ xmlns: false });
  const root: Node = { name: '#document', children: [], text: '' };
  const stack: Node[] = [root];
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    const node: Node = {
      name: tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name,
      children: [],
      text: '',
      ...(attrs['xsi:type'] !== undefined ? { type: attrs['xsi:type'] } : {}),
      ...(attrs.archetype_node_id !== undefined ? { nodeId: attrs.archetype_node_id } : {}),
    };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  parser.on('text', (t) => {
    stack[stack.length - 1]!.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).close();
  } catch (err) {
    throw new XmlCompositionError(`not well-formed XML: ${(err as Error).message}`);
  }
  const top = root.children[0];
  if (top?.name !== 'composition')
    throw new XmlCompositionError('the XML body is not a <composition> (canonical XML expected)');
  return toJson({ ...top, type: 'COMPOSITION' }, undefined) as Record<string, unknown>;
}
