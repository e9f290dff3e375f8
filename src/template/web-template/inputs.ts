import type { CPrimitive, Interval } from '../opt/model.js';
import { formatPath } from './aql-path.js';
import { type Input, newInput, type Range, type Validation, type WtNode } from './node.js';

/**
 * Inputs of data-value nodes (openEHR_SDK InputHandler): from primitive constraints, or the defaults per
 * RM type, with the template's default values applied.
 */

/** Template default values keyed `<path>|<field>` (see defaults.ts). */
export type DefaultValues = ReadonlyMap<string, string>;

/** An interval as the web template writes it; integer intervals are made inclusive (`<5` → `<=4`). */
export function toInterval<T extends number | string>(
  interval: Interval<T> | undefined,
  integer: boolean,
): Range | undefined {
  if (!interval) return undefined;
  const out: Range = {};
  if (!integer && (typeof interval.lower === 'number' || typeof interval.upper === 'number')) out.real = true;
  if (!interval.lowerUnbounded && interval.lower !== undefined) {
    out.min = interval.lower;
    out.minOp = interval.lowerIncluded ? '>=' : '>';
  }
  if (!interval.upperUnbounded && interval.upper !== undefined) {
    out.max = interval.upper;
    out.maxOp = interval.upperIncluded ? '<=' : '<';
  }
  if (integer) {
    if (out.maxOp === '<' && typeof out.max === 'number') {
      out.maxOp = '<=';
      out.max -= 1;
    }
    if (out.minOp === '>' && typeof out.min === 'number') {
      out.minOp = '>=';
      out.min += 1;
    }
  }
  return out;
}

/** A C_PRIMITIVE_OBJECT as the candidate input for its attribute (no suffix). */
export function primitiveInput(item: CPrimitive): Input {
  let type = item.type.replace(/^C_/, '').replace(/_/g, '');
  if (type === 'REAL') type = 'DECIMAL';
  else if (type === 'STRING') type = 'TEXT';
  const input = newInput(undefined, type);
  if (item.assumedValue !== undefined) input.defaultValue = item.assumedValue;
  let range: Range | undefined;
  switch (item.type) {
    case 'C_STRING':
      input.list = item.list.map((s) => ({
        value: s,
        label: s,
        localizedLabels: new Map(),
        localizedDescriptions: new Map(),
        currentStates: [],
      }));
      // Absent `list_open` reads as false, so every C_STRING input says so.
      input.listOpen = item.listOpen ?? false;
      break;
    case 'C_INTEGER':
      range = toInterval(item.range as Interval<number> | undefined, true);
      input.list = item.list.map((s) => ({
        value: String(Number.parseInt(s, 10)),
        localizedLabels: new Map(),
        localizedDescriptions: new Map(),
        currentStates: [],
      }));
      break;
    case 'C_REAL':
    case 'C_DURATION':
      range = toInterval(item.range as Interval<number | string> | undefined, false);
      break;
    case 'C_BOOLEAN':
      if (item.trueValid !== item.falseValid) {
        const b = String(item.trueValid === true);
        input.list = [
          {
            value: b,
            label: b,
            localizedLabels: new Map(),
            localizedDescriptions: new Map(),
            currentStates: [],
          },
        ];
      }
      break;
    default:
      break;
  }
  const validation: Validation = {};
  let any = false;
  const patterned = ['C_DATE', 'C_DATE_TIME', 'C_TIME', 'C_STRING', 'C_DURATION'].includes(item.type);
  if (patterned && item.pattern !== undefined && item.pattern.trim() !== '') {
    validation.pattern = item.pattern;
    any = true;
  }
  if (range) {
    validation.range = range;
    any = true;
  }
  if (any) input.validation = validation;
  return input;
}

function rangeInput(suffix: string, type: string, range: Range): Input {
  const input = newInput(suffix, type);
  input.validation = { range };
  return input;
}

const PROPORTION_TYPES = ['ratio', 'unitary', 'percent', 'fraction', 'integer_fraction'];

/** An ISO-8601 duration split into fields (`Y`, `M`, `W`, `D`, `H`, `MT` for minutes, `S`). */
function durationFields(text: string | undefined): Map<string, number> {
  const fields = new Map<string, number>();
  if (text === undefined || text.trim() === '') return fields;
  let datePart = true;
  let digits = '';
  for (const c of text) {
    if (c === 'T') datePart = false;
    else if (c >= '0' && c <= '9') digits += c;
    else if (c !== 'P') {
      fields.set(!datePart && c === 'M' ? 'MT' : c, Number.parseInt(digits, 10));
      digits = '';
    }
  }
  return fields;
}

function substringAfter(s: string, sep: string): string {
  const i = s.indexOf(sep);
  return i < 0 ? '' : s.slice(i + sep.length);
}

function durationInputs(node: WtNode, candidate: Input | undefined, defaults: DefaultValues): Input[] {
  const pattern = candidate?.validation?.pattern;
  const range = candidate?.validation?.range;
  const mins = durationFields(range?.min === undefined ? undefined : String(range.min));
  const maxs = durationFields(range?.max === undefined ? undefined : String(range.max));
  const given = durationFields(defaults.get(`${formatPath(node.path, true)}|value`));
  const fallback = given.size === 0 ? undefined : 0;
  const blank = pattern === undefined || pattern.trim() === '';
  const p = pattern ?? '';
  // The part of the pattern each field is looked for in (openEHR_SDK InputHandler.addInputs).
  const fields: [symbol: string, suffix: string, key: string, where: string][] = [
    ['Y', 'year', 'Y', p],
    ['M', 'month', 'M', p.slice(0, p.length - substringAfter(p, 'T').length)],
    ['D', 'day', 'D', p],
    ['W', 'week', 'W', p],
    ['H', 'hour', 'H', p],
    ['M', 'minute', 'MT', substringAfter(p, 'D')],
    ['S', 'second', 'S', p],
  ];
  const inputs: Input[] = [];
  for (const [symbol, suffix, key, where] of fields) {
    if (!blank && !where.includes(symbol)) continue;
    const interval: Range = { min: 0, minOp: '>=' };
    const min = mins.get(key);
    if (min !== undefined) {
      interval.min = min;
      interval.minOp = range?.minOp;
    }
    const max = maxs.get(key);
    if (max !== undefined) {
      interval.max = max;
      interval.maxOp = range?.maxOp;
    }
    const input = rangeInput(suffix, 'INTEGER', interval);
    const value = given.get(key) ?? fallback;
    if (value !== undefined) input.defaultValue = String(value);
    inputs.push(input);
  }
  return inputs;
}

/** The default of a field of a node, keyed by the node's path with name predicates. */
export function findDefault(defaults: DefaultValues, node: WtNode, field: string): string | undefined {
  return defaults.get(`${formatPath(node.path, true)}|${field}`);
}

/**
 * Inputs by RM type for a node that has none from its constraints (openEHR_SDK InputHandler.addInputs);
 * `candidates` are the primitive constraints of its attributes by attribute name.
 */
export function addDefaultInputs(
  node: WtNode,
  candidates: ReadonlyMap<string, Input>,
  defaults: DefaultValues,
): void {
  const inputs = node.inputs;
  const from = (key: string, suffix: string | undefined, type: string) =>
    candidates.get(key) ?? newInput(suffix, type);
  switch (node.rmType) {
    case 'DV_DATE':
      inputs.push(from('value', undefined, 'DATE'));
      break;
    case 'DV_DATE_TIME':
      inputs.push(from('value', undefined, 'DATETIME'));
      break;
    case 'DV_TIME':
      inputs.push(from('value', undefined, 'TIME'));
      break;
    case 'DV_ORDINAL':
      inputs.push(from('value', undefined, 'CODED_TEXT'));
      break;
    case 'PARTY_PROXY':
      for (const s of ['id', 'id_scheme', 'id_namespace', 'name']) inputs.push(newInput(s, 'TEXT'));
      break;
    case 'DV_PARSABLE':
      inputs.push(newInput('value', 'TEXT'), newInput('formalism', 'TEXT'));
      break;
    case 'DV_TEXT':
    case 'DV_EHR_URI':
    case 'DV_URI':
    case 'DV_MULTIMEDIA':
    case 'UID_BASED_ID':
    case 'STRING':
      inputs.push(from('value', undefined, 'TEXT'));
      break;
    case 'DV_COUNT': {
      const magnitude = from('magnitude', undefined, 'INTEGER');
      const d = findDefault(defaults, node, 'magnitude');
      if (d !== undefined) magnitude.defaultValue = d;
      inputs.push(magnitude);
      break;
    }
    case 'DV_QUANTITY': {
      const magnitude = from('magnitude', 'magnitude', 'DECIMAL');
      const d = findDefault(defaults, node, 'magnitude');
      if (d !== undefined) magnitude.defaultValue = d;
      inputs.push(magnitude, newInput('unit', 'TEXT'));
      break;
    }
    case 'DV_BOOLEAN':
      inputs.push(from('value', undefined, 'BOOLEAN'));
      break;
    case 'DV_STATE':
    case 'DV_CODED_TEXT':
      inputs.push(newInput('code', 'TEXT'), newInput('value', 'TEXT'));
      break;
    case 'DV_PROPORTION': {
      const numerator = from('numerator', 'numerator', 'DECIMAL');
      numerator.suffix = 'numerator';
      inputs.push(numerator);
      const denominator = from('denominator', 'denominator', 'DECIMAL');
      denominator.suffix = 'denominator';
      const types = (candidates.get('type')?.list ?? [])
        .map((v) => PROPORTION_TYPES[Number.parseInt(v.value, 10)])
        .filter((t): t is string => t !== undefined);
      if (types.length === 0) node.proportionTypes.push(...PROPORTION_TYPES);
      else {
        node.proportionTypes.push(...types);
        // A single kind fixes the denominator: 1 for unitary, 100.0 for percent.
        if (types.length === 1 && types[0] === 'unitary') {
          denominator.validation = { range: { min: 1, minOp: '>=', max: 1, maxOp: '<=' } };
        } else if (types.length === 1 && types[0] === 'percent') {
          denominator.validation = { range: { min: 100, minOp: '>=', max: 100, maxOp: '<=', real: true } };
        }
      }
      inputs.push(denominator);
      break;
    }
    case 'DV_IDENTIFIER':
      for (const s of ['id', 'type', 'issuer', 'assigner']) inputs.push(newInput(s, 'TEXT'));
      break;
    case 'DV_DURATION':
      inputs.push(...durationInputs(node, candidates.get('value'), defaults));
      break;
    default:
      break;
  }
  // Generic template defaults: keyed by the path without name predicates.
  const base = formatPath(node.path, false);
  for (const input of inputs) {
    const d = defaults.get(
      `${base}|${input.suffix === undefined || input.suffix === '' ? 'value' : input.suffix}`,
    );
    if (d !== undefined) input.defaultValue = d;
  }
}
