import { SaxesParser } from 'saxes';
import { InvalidOptError } from './errors.js';

/**
 * A parsed XML element, reduced to what reading an OPT needs: local names (namespace prefixes dropped,
 * the OPT namespace is the only one that matters), attributes, child elements in document order, the
 * concatenated text and the line where the element starts (for error messages).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
  readonly line: number;
}

const EMPTY_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/**
 * Parses XML into an element tree with saxes (a strict, maintained, streaming parser: well-formedness errors
 * come with a line and column). Throws InvalidOptError naming the line and the innermost open element.
 */
export function parseXmlTree(xml: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '', line: 1 };
  const stack: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    let attributes: Record<string, string> = EMPTY_ATTRIBUTES;
    for (const k in tag.attributes) {
      if (attributes === EMPTY_ATTRIBUTES) attributes = {};
      attributes[localName(k)] = tag.attributes[k] as string;
    }
    const el: XmlElement = {
      name: localName(tag.name),
      attributes,
      children: [],
      text: '',
      line: parser.line,
    };
    (stack[stack.length - 1] as XmlElement).children.push(el);
    stack.push(el);
  });
  // Text after a child element is the indentation between siblings (OPTs have no mixed content): skipped,
  // which spares most of the string building on a large OPT.
  const onText = (t: string) => {
    const el = stack[stack.length - 1] as XmlElement;
    if (el.children.length === 0) el.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    stack.pop();
  });
  // A UTF-8 byte order mark is common in OPTs written by the Ocean Template Designer.
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  try {
    parser.write(text).close();
  } catch (err) {
    const open = stack.length > 1 ? (stack[stack.length - 1] as XmlElement).name : undefined;
    const message = err instanceof Error ? err.message : String(err);
    // saxes prefixes "line:column: "; keep the reason, report the position separately.
    let reason = message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    if (/unexpected close tag/.test(reason)) {
      // saxes has already dropped the open element; name both tags.
      const close = /<\/([^\s>]+)\s*>?$/.exec(text.slice(0, parser.position))?.[1];
      const expected = open === undefined ? undefined : stack[stack.length - 1];
      if (close) reason = `unexpected close tag </${close}>${expected ? ` inside <${expected.name}>` : ''}`;
    }
    throw new InvalidOptError(`not well-formed XML: ${reason} (column ${parser.column + 1})`, {
      line: parser.line,
      element: open,
    });
  }
  const top = root.children[0];
  if (!top) throw new InvalidOptError('the document has no root element', { line: 1 });
  return top;
}

/** The first child element with this local name. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** All child elements with this local name, in document order. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** Trimmed text of the named child, or undefined when the child is absent. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : c.text.trim();
}
