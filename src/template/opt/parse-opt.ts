import { InvalidOptError } from './errors.js';
import type {
  ArchetypeTerm,
  CArchetypeRoot,
  CAttribute,
  CObject,
  ComponentOntology,
  CPrimitive,
  DefaultValueConstraint,
  Interval,
  OperationalTemplate,
} from './model.js';
import { child, childrenNamed, childText, parseXmlTree, type XmlElement } from './xml-tree.js';

/**
 * Reads an ADL 1.4 operational template (the XML that `POST /definition/template/adl1.4` takes) into typed
 * data. Throws InvalidOptError (exit 2) naming the line and element of the first problem.
 */
export function parseOpt(xml: string): OperationalTemplate {
  const root = parseXmlTree(xml);
  if (root.name !== 'template') {
    throw new InvalidOptError(`the root element is <${root.name}>, expected <template>`, {
      line: root.line,
      element: root.name,
    });
  }
  const templateId = required(root, 'template_id', (el) => requiredText(el, 'value'));
  const defaultLanguage = required(root, 'language', (el) => requiredText(el, 'code_string'));
  const description = child(root, 'description');
  const detailLanguages = description
    ? childrenNamed(description, 'details').flatMap((d) => {
        const lang = child(d, 'language');
        const code = lang ? childText(lang, 'code_string') : undefined;
        return code ? [code] : [];
      })
    : [];
  const definitionEl = child(root, 'definition');
  if (!definitionEl) throw missing(root, 'definition');
  const definition = readCObject(definitionEl, 'C_ARCHETYPE_ROOT');
  if (definition.kind !== 'C_ARCHETYPE_ROOT') {
    throw new InvalidOptError(
      `<definition> must be a C_ARCHETYPE_ROOT, found ${definition.kind}`,
      at(definitionEl),
    );
  }
  const ontologies: ComponentOntology[] = [
    ...childrenNamed(root, 'ontology'),
    ...childrenNamed(root, 'component_ontologies'),
  ].map(readOntology);
  const annotations = childrenNamed(root, 'annotations').map((a) => ({
    path: a.attributes['path'] ?? '',
    items: readItems(a),
  }));
  const constraints = child(root, 'constraints');
  const defaults = constraints ? childrenNamed(constraints, 'attributes').map(readDefault) : [];
  return { templateId, defaultLanguage, detailLanguages, definition, ontologies, annotations, defaults };
}

function at(el: XmlElement): { line: number; element: string } {
  return { line: el.line, element: el.name };
}

function missing(el: XmlElement, name: string): InvalidOptError {
  return new InvalidOptError(`<${el.name}> has no <${name}>`, at(el));
}

function required<T>(el: XmlElement, name: string, read: (c: XmlElement) => T): T {
  const c = child(el, name);
  if (!c) throw missing(el, name);
  return read(c);
}

function requiredText(el: XmlElement, name: string): string {
  const t = childText(el, name);
  if (t === undefined || t === '') throw missing(el, name);
  return t;
}

/** `xsi:type` without a namespace prefix (`C_COMPLEX_OBJECT`, also from `openEHR:C_COMPLEX_OBJECT`). */
function xsiType(el: XmlElement): string | undefined {
  const t = el.attributes['type'];
  if (t === undefined) return undefined;
  const colon = t.indexOf(':');
  return colon < 0 ? t : t.slice(colon + 1);
}

function parseBoolean(el: XmlElement, name: string): boolean | undefined {
  const t = childText(el, name);
  if (t === undefined) return undefined;
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  const c = child(el, name) as XmlElement;
  throw new InvalidOptError(`<${name}> must be true or false, found '${t}'`, at(c));
}

function parseNumber(el: XmlElement, name: string, integer: boolean): number | undefined {
  const t = childText(el, name);
  if (t === undefined || t === '') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    const c = child(el, name) as XmlElement;
    throw new InvalidOptError(
      `<${name}> must be ${integer ? 'an integer' : 'a number'}, found '${t}'`,
      at(c),
    );
  }
  return n;
}

function readInterval<T>(
  el: XmlElement,
  bound: (el: XmlElement, name: string) => T | undefined,
): Interval<T> {
  const lower = bound(el, 'lower');
  const upper = bound(el, 'upper');
  return {
    lower,
    upper,
    lowerIncluded: parseBoolean(el, 'lower_included') ?? false,
    upperIncluded: parseBoolean(el, 'upper_included') ?? false,
    lowerUnbounded: (parseBoolean(el, 'lower_unbounded') ?? false) || lower === undefined,
    upperUnbounded: (parseBoolean(el, 'upper_unbounded') ?? false) || upper === undefined,
  };
}

const intBound = (el: XmlElement, name: string) => parseNumber(el, name, true);
/**
 * Real bounds are `xs:float` in the OPT schema; EHRbase reads them as Java floats and widens them to double,
 * so `0.1` becomes 0.10000000149011612. Math.fround reproduces that.
 */
const floatBound = (el: XmlElement, name: string) => {
  const n = parseNumber(el, name, false);
  return n === undefined ? undefined : Math.fround(n);
};
const stringBound = (el: XmlElement, name: string) => {
  const t = childText(el, name);
  return t === undefined || t === '' ? undefined : t;
};

function readIntervalChild(el: XmlElement, name: string, real: boolean): Interval<number> | undefined {
  const c = child(el, name);
  return c ? readInterval(c, real ? floatBound : intBound) : undefined;
}

const UNBOUNDED_OCCURRENCES: Interval<number> = {
  lower: 0,
  lowerIncluded: true,
  upperIncluded: false,
  lowerUnbounded: false,
  upperUnbounded: true,
};

/** `items id="…"` → map (document order; a later duplicate id wins). */
function readItems(el: XmlElement): Map<string, string> {
  const items = new Map<string, string>();
  for (const item of childrenNamed(el, 'items')) items.set(item.attributes['id'] ?? '', item.text);
  return items;
}

function readTerms(el: XmlElement, name: string): ArchetypeTerm[] {
  return childrenNamed(el, name).map((t) => ({ code: t.attributes['code'] ?? '', items: readItems(t) }));
}

function readOntology(el: XmlElement): ComponentOntology {
  return {
    archetypeId: el.attributes['archetype_id'] ?? '',
    termDefinitions: childrenNamed(el, 'term_definitions').map((td) => ({
      language: td.attributes['language'] ?? '',
      terms: readTerms(td, 'items'),
    })),
  };
}

function readDefault(el: XmlElement): DefaultValueConstraint {
  const fields: DefaultValueConstraint['fields'] = [];
  for (const c of childrenNamed(el, 'children')) {
    const value = child(c, 'default_value');
    if (!value) continue;
    for (const f of value.children) {
      if (f.children.length === 0 && f.text.length > 0) fields.push({ name: f.name, text: f.text });
      else {
        // A complex field (e.g. DV_ORDINAL `symbol`): its defining_code's code_string.
        const definingCode = child(f, 'defining_code');
        fields.push({
          name: f.name,
          definingCode: definingCode ? (childText(definingCode, 'code_string') ?? '') : '',
        });
      }
    }
  }
  return {
    differentialPath: child(el, 'differential_path')?.text ?? '',
    rmAttributeName: child(el, 'rm_attribute_name')?.text.trim() ?? '',
    fields,
  };
}

function readAttribute(el: XmlElement): CAttribute {
  const type = xsiType(el);
  const rmAttributeName = requiredText(el, 'rm_attribute_name');
  const existenceEl = child(el, 'existence');
  const attribute: CAttribute = {
    kind: type === 'C_MULTIPLE_ATTRIBUTE' ? 'multiple' : 'single',
    rmAttributeName,
    existence: existenceEl ? readInterval(existenceEl, intBound) : { ...UNBOUNDED_OCCURRENCES, upper: 1 },
    children: childrenNamed(el, 'children').map((c) => readCObject(c)),
  };
  if (attribute.kind === 'multiple') {
    const cardinality = child(el, 'cardinality');
    const interval = cardinality ? readIntervalChild(cardinality, 'interval', false) : undefined;
    attribute.cardinality = interval ? { interval } : {};
  }
  return attribute;
}

function readPrimitive(el: XmlElement): CPrimitive {
  const type = xsiType(el);
  if (!type) throw new InvalidOptError('<item> of a C_PRIMITIVE_OBJECT has no xsi:type', at(el));
  const item: CPrimitive = { type, list: [] };
  const pattern = childText(el, 'pattern');
  if (pattern !== undefined) item.pattern = pattern;
  const assumed = child(el, 'assumed_value');
  if (assumed) item.assumedValue = assumed.text.trim();
  switch (type) {
    case 'C_STRING':
      item.list = childrenNamed(el, 'list').map((l) => l.text);
      item.listOpen = parseBoolean(el, 'list_open');
      break;
    case 'C_INTEGER':
      item.list = childrenNamed(el, 'list').map((l) => l.text.trim());
      item.range = readIntervalChild(el, 'range', false);
      break;
    case 'C_REAL':
      item.range = readIntervalChild(el, 'range', true);
      break;
    case 'C_DURATION': {
      const range = child(el, 'range');
      if (range) item.range = readInterval(range, stringBound);
      break;
    }
    case 'C_BOOLEAN':
      item.trueValid = parseBoolean(el, 'true_valid') ?? false;
      item.falseValid = parseBoolean(el, 'false_valid') ?? false;
      break;
    default:
      break;
  }
  return item;
}

function readCodePhrase(el: XmlElement): { terminology?: string; code?: string } {
  const terminologyId = child(el, 'terminology_id');
  return {
    terminology: terminologyId ? childText(terminologyId, 'value') : undefined,
    code: childText(el, 'code_string'),
  };
}

/** One `children` / `definition` element. */
function readCObject(el: XmlElement, implicitType?: string): CObject {
  const className = xsiType(el) ?? implicitType;
  if (!className) throw new InvalidOptError('a constraint has no xsi:type', at(el));
  const rmTypeName = childText(el, 'rm_type_name');
  if (!rmTypeName) throw missing(el, 'rm_type_name');
  const occurrencesEl = child(el, 'occurrences');
  const base = {
    rmTypeName,
    nodeId: childText(el, 'node_id') ?? '',
    occurrences: occurrencesEl ? readInterval(occurrencesEl, intBound) : UNBOUNDED_OCCURRENCES,
    line: el.line,
  };
  switch (className) {
    case 'C_ARCHETYPE_ROOT': {
      const archetypeIdEl = child(el, 'archetype_id');
      const archetypeId = archetypeIdEl ? childText(archetypeIdEl, 'value') : undefined;
      if (!archetypeId) throw missing(el, 'archetype_id');
      const root: CArchetypeRoot = {
        ...base,
        kind: 'C_ARCHETYPE_ROOT',
        attributes: childrenNamed(el, 'attributes').map(readAttribute),
        archetypeId,
        termDefinitions: readTerms(el, 'term_definitions'),
      };
      return root;
    }
    case 'C_COMPLEX_OBJECT':
      return {
        ...base,
        kind: 'C_COMPLEX_OBJECT',
        attributes: childrenNamed(el, 'attributes').map(readAttribute),
      };
    case 'ARCHETYPE_SLOT':
      return { ...base, kind: 'ARCHETYPE_SLOT' };
    case 'C_PRIMITIVE_OBJECT': {
      const itemEl = child(el, 'item');
      if (!itemEl) throw missing(el, 'item');
      return { ...base, kind: 'C_PRIMITIVE_OBJECT', item: readPrimitive(itemEl) };
    }
    case 'C_DV_QUANTITY': {
      const assumed = child(el, 'assumed_value');
      return {
        ...base,
        kind: 'C_DV_QUANTITY',
        list: childrenNamed(el, 'list').map((l) => {
          const units = childText(l, 'units');
          if (units === undefined) throw missing(l, 'units');
          const item: { units: string; magnitude?: Interval<number>; precision?: Interval<number> } = {
            units,
          };
          const magnitude = readIntervalChild(l, 'magnitude', true);
          if (magnitude) item.magnitude = magnitude;
          const precision = readIntervalChild(l, 'precision', false);
          if (precision) item.precision = precision;
          return item;
        }),
        assumedValue: assumed
          ? { magnitude: parseNumber(assumed, 'magnitude', false), units: childText(assumed, 'units') }
          : undefined,
      };
    }
    case 'C_DV_ORDINAL': {
      const assumed = child(el, 'assumed_value');
      const assumedSymbol = assumed ? child(assumed, 'symbol') : undefined;
      const assumedCode = assumedSymbol ? child(assumedSymbol, 'defining_code') : undefined;
      return {
        ...base,
        kind: 'C_DV_ORDINAL',
        list: childrenNamed(el, 'list').map((l) => {
          const value = parseNumber(l, 'value', true);
          if (value === undefined) throw missing(l, 'value');
          const symbol = child(l, 'symbol');
          const code = symbol ? child(symbol, 'defining_code') : undefined;
          if (!code) throw missing(symbol ?? l, symbol ? 'defining_code' : 'symbol');
          const phrase = readCodePhrase(code);
          if (!phrase.code) throw missing(code, 'code_string');
          return { value, code: phrase.code, terminology: phrase.terminology };
        }),
        assumedValue: assumedCode ? readCodePhrase(assumedCode) : undefined,
      };
    }
    case 'C_CODE_PHRASE':
    case 'C_CODE_REFERENCE': {
      const terminologyId = child(el, 'terminology_id');
      const assumed = child(el, 'assumed_value');
      const phrase = {
        ...base,
        kind: 'C_CODE_PHRASE' as const,
        terminologyId: terminologyId ? childText(terminologyId, 'value') : undefined,
        codeList: childrenNamed(el, 'code_list').map((c) => c.text.trim()),
        assumedValue: assumed ? childText(assumed, 'code_string') : undefined,
      };
      if (className === 'C_CODE_REFERENCE') {
        return { ...phrase, referenceSetUri: childText(el, 'referenceSetUri') ?? '' };
      }
      return phrase;
    }
    default:
      return { ...base, kind: 'OTHER', className };
  }
}
