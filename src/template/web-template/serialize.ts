import { formatPath } from './aql-path.js';
import { javaDoubleString } from './build-tree.js';
import type { Input, InputValue, Range, Validation, WtNode } from './node.js';
import { javaHashOrder } from './node-id.js';

/**
 * Writes the filtered tree as EHRbase's JSON (Jackson with NON_EMPTY/NON_NULL): keys in the model's field
 * order, empty values left out, doubles with a decimal point (`0.0`), numeric default values as numbers.
 * The text is the single source: the object form is parsed from it, so both agree by construction.
 */

/** A number written verbatim (Java formatting). */
class RawNumber {
  constructor(readonly text: string) {}
}

type Json = string | boolean | RawNumber | Json[] | { [key: string]: Json | undefined } | undefined;

function int(n: number): RawNumber {
  return new RawNumber(String(n));
}

function num(n: number | string, real: boolean | undefined): Json {
  if (typeof n === 'string') return n;
  return new RawNumber(real ? javaDoubleString(n) : String(n));
}

/** EHRbase's StringToNumberSerializer: parsable numbers become JSON numbers. */
function defaultValue(s: string | undefined): Json {
  if (s === undefined) return undefined;
  if (/^-?\d+$/.test(s)) {
    const n = Number.parseInt(s, 10);
    return Number.isSafeInteger(n) ? int(n) : s;
  }
  if (/^-?(\d+\.\d*|\.\d+)$/.test(s) && !s.endsWith('.')) return new RawNumber(javaDoubleString(Number(s)));
  return s;
}

function map(m: ReadonlyMap<string, string>): Json {
  if (m.size === 0) return undefined;
  const out: Record<string, Json> = {};
  for (const k of javaHashOrder([...m.keys()])) out[k] = m.get(k) as string;
  return out;
}

function list<T>(items: readonly T[], f: (t: T) => Json): Json {
  return items.length === 0 ? undefined : items.map(f);
}

function range(r: Range | undefined): Json {
  if (!r) return undefined;
  const out = {
    min: r.min === undefined ? undefined : num(r.min, r.real),
    minOp: r.minOp,
    max: r.max === undefined ? undefined : num(r.max, r.real),
    maxOp: r.maxOp,
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

function validation(v: Validation | undefined): Json {
  if (!v) return undefined;
  const out = { precision: range(v.precision), range: range(v.range), pattern: v.pattern || undefined };
  return Object.values(out).some((x) => x !== undefined) ? out : undefined;
}

function inputValue(v: InputValue): Json {
  return {
    value: v.value || undefined,
    label: v.label || undefined,
    localizedLabels: map(v.localizedLabels),
    localizedDescriptions: map(v.localizedDescriptions),
    ordinal: v.ordinal === undefined ? undefined : int(v.ordinal),
    currentStates: list(v.currentStates, (s) => s),
    validation: validation(v.validation),
  };
}

function input(i: Input): Json {
  return {
    suffix: i.suffix || undefined,
    type: i.type || undefined,
    list: list(i.list, inputValue),
    listOpen: i.listOpen,
    validation: validation(i.validation),
    terminology: i.terminology || undefined,
    defaultValue: i.defaultValue === '' ? undefined : defaultValue(i.defaultValue),
  };
}

function annotations(node: WtNode): Json {
  const a = node.annotations;
  if (!a) return undefined;
  const out: Record<string, Json> = {};
  if (a.comment) out.comment = a.comment;
  for (const k of javaHashOrder([...a.other.keys()]))
    if (k !== 'comment' || !a.comment) out[k] = a.other.get(k);
  return Object.keys(out).length === 0 ? undefined : out;
}

function node(n: WtNode): Json {
  return {
    id: n.idNumber === undefined ? n.id : `${n.id}${n.idNumber}`,
    name: n.name || undefined,
    localizedName: n.localizedName || undefined,
    rmType: n.rmType,
    nodeId: n.nodeId || undefined,
    min: int(n.min),
    max: int(n.max),
    localizedNames: map(n.localizedNames),
    localizedDescriptions: map(n.localizedDescriptions),
    aqlPath: formatPath(n.path, true) || undefined,
    children: list(n.children, node),
    inputs: list(n.inputs, input),
    inContext: n.inContext === true ? true : undefined,
    annotations: annotations(n),
    proportionTypes: list(n.proportionTypes, (s) => s),
    cardinalities: list(n.cardinalities, (c) => ({
      min: c.min === undefined ? undefined : int(c.min),
      max: c.max === undefined ? undefined : int(c.max),
      ids: list(c.ids, (s) => s),
    })),
  };
}

export interface TopLevel {
  templateId: string;
  defaultLanguage: string;
  languages: readonly string[];
}

function write(value: Json, indent: string, step: string, out: string[]): void {
  if (value instanceof RawNumber) out.push(value.text);
  else if (typeof value === 'string' || typeof value === 'boolean') out.push(JSON.stringify(value));
  else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = indent + step;
    out.push('[');
    value.forEach((v, i) => {
      out.push(i === 0 ? '' : ',', step ? `\n${inner}` : '');
      write(v, inner, step, out);
    });
    out.push(step ? `\n${indent}]` : ']');
  } else if (value !== undefined) {
    const inner = indent + step;
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    out.push('{');
    entries.forEach(([k, v], i) => {
      out.push(i === 0 ? '' : ',', step ? `\n${inner}` : '', JSON.stringify(k), step ? ': ' : ':');
      write(v, inner, step, out);
    });
    out.push(step && entries.length > 0 ? `\n${indent}}` : '}');
  }
}

/** The web template as JSON text; `indent` 0 gives the compact form. */
export function webTemplateText(top: TopLevel, tree: WtNode, indent = 2): string {
  const doc: Json = {
    templateId: top.templateId,
    version: '2.3',
    defaultLanguage: top.defaultLanguage,
    languages: [...top.languages],
    tree: node(tree),
  };
  const out: string[] = [];
  write(doc, '', ' '.repeat(indent), out);
  return out.join('');
}
