import { InvalidOptError } from '../opt/errors.js';
import type {
  CArchetypeRoot,
  CCodePhrase,
  CComplexObject,
  CDvOrdinal,
  CDvQuantity,
  CObject,
  Interval,
  OperationalTemplate,
} from '../opt/model.js';
import { type AqlPath, addStep, formatPath, rebase, samePath, withLast } from './aql-path.js';
import { addDefaultInputs, type DefaultValues, findDefault, primitiveInput, toInterval } from './inputs.js';
import {
  cloneNode,
  findChild,
  fullId,
  type Input,
  type InputValue,
  matching,
  newInput,
  newNode,
  type WtNode,
} from './node.js';
import { buildId, makeIdsUnique } from './node-id.js';
import { groupOfAttribute, openEhrTerms } from './openehr-terminology.js';
import {
  addedAttributes,
  getsRmAttributes,
  isInContext,
  LOCATABLE_TYPES,
  type RmAttribute,
} from './rm-model.js';

/**
 * The parse pass (openEHR_SDK OPTParser.parse): walks the OPT definition into the internal tree, which
 * still holds every structural node (ITEM_TREEs, HISTORYs, single EVENTs, RM attributes such as `name`,
 * `uid`, `feeder_audit`). filter.ts then turns it into what EHRbase serves.
 */

interface TermDefinition {
  code: string;
  text: string | undefined;
  description: string | undefined;
  other: Map<string, string>;
}

/** code → language → term, of one archetype root. */
type Terms = Map<string, Map<string, TermDefinition>>;

interface Name {
  label: string;
  localizedLabels: Map<string, string>;
}

const ANY_ELEMENT_TYPES = [
  'DV_TEXT',
  'DV_CODED_TEXT',
  'DV_MULTIMEDIA',
  'DV_PARSABLE',
  'DV_STATE',
  'DV_BOOLEAN',
  'DV_IDENTIFIER',
  'DV_URI',
  'DV_EHR_URI',
  'DV_DURATION',
  'DV_QUANTITY',
  'DV_COUNT',
  'DV_PROPORTION',
  'DV_DATE_TIME',
  'DV_TIME',
  'DV_ORDINAL',
  'DV_DATE',
];

function inputValue(value: string): InputValue {
  return { value, localizedLabels: new Map(), localizedDescriptions: new Map(), currentStates: [] };
}

function occurrencesMin(o: Interval<number>): number {
  return o.lowerUnbounded ? -1 : (o.lower ?? 0);
}

function occurrencesMax(o: Interval<number>): number {
  return o.upperUnbounded ? -1 : (o.upper ?? 0);
}

/** The `<rmType without DV_>_value` id of a data value among choices, or false for other types. */
function updateChoiceId(node: WtNode): boolean {
  if (!node.rmType.startsWith('DV_')) return false;
  node.id = `${node.rmType.slice(3).toLowerCase()}_value`;
  return true;
}

/** Children of an ELEMENT that count as its values (openEHR_SDK WebTemplateUtils.getTrueChildrenElement). */
export function trueElementChildren(node: WtNode): WtNode[] {
  if (node.rmType !== 'ELEMENT') return [];
  return node.children.filter(
    (c) => c.name !== 'name' && (!(c.name === 'null_flavour' || c.name === 'feeder_audit') || c.min !== 0),
  );
}

/** Children that share a path (type alternatives of one attribute), grouped by it. */
export function choicesInChildren(node: WtNode): WtNode[][] {
  const groups = new Map<string, WtNode[]>();
  for (const c of node.children) {
    const key = formatPath(c.path, true);
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

export class TreeBuilder {
  private readonly defaultLanguage: string;
  private readonly annotations = new Map<string, Map<string, string>>();

  constructor(
    private readonly opt: OperationalTemplate,
    private readonly languages: readonly string[],
    private readonly defaults: DefaultValues,
  ) {
    this.defaultLanguage = opt.defaultLanguage;
    for (const a of opt.annotations) {
      // The path starts with the root archetype id, which node paths do not contain.
      this.annotations.set(a.path.replace(/^[^/]+/, ''), a.items);
    }
  }

  build(): WtNode {
    const nodes = this.parseArchetypeRoot(this.opt.definition, []);
    return nodes[0] as WtNode;
  }

  private termsOf(root: CArchetypeRoot): Terms {
    const terms: Terms = new Map();
    for (const t of root.termDefinitions) {
      const other = new Map<string, string>();
      for (const [id, v] of t.items) if (id !== 'text' && id !== 'description') other.set(id, v);
      const byLanguage = termsFor(terms, t.code);
      byLanguage.set(this.defaultLanguage, {
        code: t.code,
        text: t.items.get('text'),
        description: t.items.get('description'),
        other,
      });
    }
    for (const ontology of this.opt.ontologies) {
      if (ontology.archetypeId !== root.archetypeId) continue;
      for (const td of ontology.termDefinitions) {
        for (const t of td.terms) {
          termsFor(terms, t.code).set(td.language, {
            code: t.code,
            text: t.items.get('text') ?? '',
            description: t.items.get('description') ?? '',
            other: new Map(),
          });
        }
      }
    }
    return terms;
  }

  private parseArchetypeRoot(root: CArchetypeRoot, path: AqlPath): WtNode[] {
    const terms = this.termsOf(root);
    const nodes = this.parseComplexObject(root, path, terms, undefined);
    for (const n of nodes) n.nodeId = root.archetypeId;
    return nodes;
  }

  private parseCObject(c: CObject, path: AqlPath, terms: Terms, attribute: string | undefined): WtNode[] {
    switch (c.kind) {
      case 'C_ARCHETYPE_ROOT':
        return this.parseArchetypeRoot(c, c.archetypeId ? withLast(path, { atCode: c.archetypeId }) : path);
      case 'C_COMPLEX_OBJECT': {
        const nodeId = LOCATABLE_TYPES.has(c.rmTypeName) ? c.nodeId : '';
        return this.parseComplexObject(
          c,
          nodeId ? withLast(path, { atCode: nodeId }) : path,
          terms,
          attribute,
        );
      }
      case 'C_DV_QUANTITY':
      case 'C_DV_ORDINAL':
      case 'C_CODE_PHRASE': {
        const nodeId = LOCATABLE_TYPES.has(c.rmTypeName) ? c.nodeId : '';
        const node = this.buildNode(c, attribute, terms, undefined);
        node.path = nodeId ? withLast(path, { atCode: nodeId }) : path;
        if (c.kind === 'C_DV_QUANTITY') this.parseQuantity(c, node, terms);
        else if (c.kind === 'C_DV_ORDINAL') this.parseOrdinal(c, node, terms);
        else this.parseCodePhrase(c, node, terms, attribute);
        return [node];
      }
      case 'ARCHETYPE_SLOT': {
        const node = this.buildNode(c, attribute, terms, undefined);
        node.path = c.nodeId ? withLast(path, { atCode: c.nodeId }) : path;
        node.archetypeSlot = true;
        return [node];
      }
      case 'OTHER':
        if (c.rmTypeName === 'DV_SCALE') {
          throw new InvalidOptError('the data type DV_SCALE is not supported (EHRbase rejects it too)', {
            line: c.line,
            element: 'children',
          });
        }
        return [];
      default:
        return [];
    }
  }

  /** openEHR_SDK buildNode: type, occurrences, names from the at-code's terms or the attribute name. */
  private buildNode(
    c: CObject,
    attribute: string | undefined,
    terms: Terms,
    explicit: Name | undefined,
  ): WtNode {
    const nodeId = LOCATABLE_TYPES.has(c.rmTypeName) ? c.nodeId : '';
    const base = {
      rmType: c.rmTypeName,
      min: occurrencesMin(c.occurrences),
      max: occurrencesMax(c.occurrences),
    };
    if (nodeId.trim() !== '') {
      const byLanguage = terms.get(nodeId);
      const own = byLanguage?.get(this.defaultLanguage);
      const name = explicit?.label ?? own?.text;
      if (!byLanguage || !own || name === undefined) {
        throw new InvalidOptError(
          `node_id ${nodeId} (${c.rmTypeName}) has no term definition in the default language '${this.defaultLanguage}'`,
          { line: c.line, element: 'node_id' },
        );
      }
      const node = newNode({ ...base, id: this.id(name, c), name, path: [] });
      node.nodeId = nodeId;
      node.localizedName = name;
      if (explicit) for (const [l, v] of explicit.localizedLabels) node.localizedNames.set(l, v);
      else for (const [l, t] of byLanguage) node.localizedNames.set(l, t.text ?? '');
      node.localizedNames.set(this.defaultLanguage, name);
      for (const [l, t] of byLanguage) node.localizedDescriptions.set(l, t.description ?? t.text ?? '');
      for (const [k, v] of own.other) {
        node.annotations ??= { other: new Map() };
        if (k === 'comment') node.annotations.comment = v;
        else node.annotations.other.set(k, v);
      }
      return node;
    }
    const name = attribute !== undefined && attribute.trim() !== '' ? attribute : c.rmTypeName;
    const node = newNode({ ...base, id: this.id(name, c), name, path: [] });
    node.localizedName = name;
    return node;
  }

  private id(name: string, c: CObject): string {
    const id = buildId(name);
    if (id === '') {
      throw new InvalidOptError(`the name '${name}' gives an empty node id`, {
        line: c.line,
        element: 'node_id',
      });
    }
    return id;
  }

  private parseComplexObject(
    c: CComplexObject | CArchetypeRoot,
    path: AqlPath,
    terms: Terms,
    attribute: string | undefined,
  ): WtNode[] {
    const nameNode = this.buildNameNode(c, path, terms);
    const names: Name[] = [];
    for (const input of nameNode?.inputs ?? []) {
      if (input.suffix !== undefined && input.suffix !== 'code') continue;
      for (const v of input.list)
        names.push({ label: v.label as string, localizedLabels: v.localizedLabels });
    }
    const annotationKey = formatPath(path, true);
    if (names.length > 1) {
      return names.map((name) => {
        const node = this.buildNodeWithName(c, path, terms, attribute, name);
        const localNameNode = nameNode ? cloneNode(nameNode) : undefined;
        if (localNameNode) this.setExplicitName(name, node, localNameNode);
        this.addAnnotations(node, annotationKey);
        this.parseComplexObjectSingle(c, node.path, terms, localNameNode, node);
        return node;
      });
    }
    const explicit = names[0];
    const node = this.buildNodeWithName(c, path, terms, attribute, explicit);
    if (nameNode) this.setExplicitName(explicit, node, nameNode);
    this.addAnnotations(node, annotationKey);
    this.parseComplexObjectSingle(c, node.path, terms, nameNode, node);
    return [node];
  }

  private buildNameNode(c: CComplexObject | CArchetypeRoot, path: AqlPath, terms: Terms): WtNode | undefined {
    for (const attr of c.attributes) {
      if (attr.rmAttributeName !== 'name' || attr.children.length !== 1) continue;
      const nodes = this.parseCObject(attr.children[0] as CObject, path, terms, 'name');
      if (nodes[0]) return nodes[0];
    }
    return undefined;
  }

  private setExplicitName(explicit: Name | undefined, node: WtNode, nameNode: WtNode): void {
    nameNode.path = addStep(node.path, 'name');
    if (!explicit) return;
    const input = nameNode.inputs.find((i) => i.suffix === undefined || i.suffix === 'code');
    if (input) input.list = input.list.filter((v) => v.label === explicit.label);
    const definingCode = findChild(nameNode, 'defining_code');
    if (definingCode) definingCode.inputs = nameNode.inputs.map((i) => ({ ...i, list: [...i.list] }));
  }

  private buildNodeWithName(
    c: CComplexObject | CArchetypeRoot,
    path: AqlPath,
    terms: Terms,
    attribute: string | undefined,
    explicit: Name | undefined,
  ): WtNode {
    const node = this.buildNode(c, attribute, terms, explicit);
    node.path = path;
    if (c.nodeId.trim() !== '' && explicit) node.path = withLast(path, { nameValue: explicit.label });
    return node;
  }

  private addAnnotations(node: WtNode, key: string): void {
    const items = this.annotations.get(key);
    if (!items) return;
    node.annotations ??= { other: new Map() };
    for (const [k, v] of items) node.annotations.other.set(k, v);
  }

  private parseComplexObjectSingle(
    c: CComplexObject | CArchetypeRoot,
    path: AqlPath,
    terms: Terms,
    nameNode: WtNode | undefined,
    node: WtNode,
  ): void {
    const candidates = new Map<string, Input>();
    const cardinalities: { min?: number; max?: number; paths: AqlPath[] }[] = [];
    for (const attr of c.attributes) {
      if (attr.rmAttributeName === 'name') continue;
      const attrPath = addStep(path, attr.rmAttributeName);
      const newChildren: WtNode[] = [];
      for (const child of attr.children) {
        if (child.kind === 'C_PRIMITIVE_OBJECT') {
          candidates.set(attr.rmAttributeName, primitiveInput(child.item));
        } else {
          newChildren.push(...this.parseCObject(child, attrPath, terms, attr.rmAttributeName));
        }
      }
      this.handleIsmTransitions(path, node, attr.rmAttributeName, newChildren);
      if (attr.kind === 'multiple' && attr.cardinality) {
        const interval = attr.cardinality.interval;
        const card: { min?: number; max?: number; paths: AqlPath[] } = {
          paths: newChildren.map((n) => n.path),
        };
        if (interval) {
          if (!interval.lowerUnbounded && interval.lower !== undefined) card.min = interval.lower;
          card.max = interval.upperUnbounded ? -1 : interval.upper;
        }
        cardinalities.push(card);
      }
      // A child without a name predicate gets one when a sibling differs from it only by name.
      for (const child of newChildren) {
        const last = child.path[child.path.length - 1];
        if (last?.nameValue !== undefined) continue;
        const clash = newChildren.some(
          (n) => !samePath(n.path, child.path, true) && samePath(n.path, child.path, false),
        );
        if (!clash) continue;
        const renamed = withLast(child.path, { nameValue: child.name });
        for (const grandChild of child.children) replaceParentPath(grandChild, child.path, renamed);
        child.path = renamed;
      }
      node.children.push(...newChildren);
    }

    for (const group of choicesInChildren(node)) for (const n of group) updateChoiceId(n);

    if (node.rmType === 'ELEMENT') {
      if (node.children.length === 0) {
        for (const t of ANY_ELEMENT_TYPES) node.children.push(this.anyValueNode(node, t, candidates));
      } else {
        const values = trueElementChildren(node);
        for (const v of values) pushProperties(node, v);
        if (values.length !== 1 && choicesInChildren(node).length === 0) {
          for (const v of trueElementChildren(node)) {
            if (!updateChoiceId(v)) continue;
            for (const [k, x] of node.localizedDescriptions) v.localizedDescriptions.set(k, x);
            for (const [k, x] of node.localizedNames) v.localizedNames.set(k, x);
          }
        }
      }
    }

    if (node.rmType === 'DV_CODED_TEXT') {
      const phrase = matching(node, (n) => n.rmType === 'CODE_PHRASE').next();
      if (phrase.done) node.inputs.push(newInput('value', 'TEXT'), newInput('code', 'TEXT'));
      else node.inputs.push(...phrase.value.inputs);
    }

    if (nameNode) node.children.push(nameNode);
    this.addRmAttributes(node, path);
    if (node.inputs.length === 0) addDefaultInputs(node, candidates, this.defaults);
    makeIdsUnique(node);

    for (const card of cardinalities) {
      const nonTrivialMin = card.min !== undefined && card.min > 1;
      const max = card.max ?? -1;
      if (!nonTrivialMin && max === -1) continue;
      const ids: string[] = [];
      for (const p of card.paths)
        for (const n of matching(node, (x) => samePath(x.path, p, true))) ids.push(fullId(n));
      if (nonTrivialMin || max < ids.length) {
        const out: { min?: number; max?: number; ids: string[] } = { ids };
        if (card.min !== undefined) out.min = card.min;
        if (card.max !== undefined) out.max = card.max;
        node.cardinalities.push(out);
      }
    }

    for (const child of node.children) if (isInContext(node.rmType, fullId(child))) child.inContext = true;
  }

  /** An ACTION's ism_transition constraints become one synthetic ISM_TRANSITION node (§5.9 of the rules). */
  private handleIsmTransitions(path: AqlPath, node: WtNode, attribute: string, newChildren: WtNode[]): void {
    if (node.rmType !== 'ACTION') return;
    const transitions = newChildren.filter((n) => n.rmType === 'ISM_TRANSITION');
    const first = transitions[0];
    if (!first) return;
    const stepProto = findChild(first, 'careflow_step');
    const stateProto = findChild(first, 'current_state');
    const transition = findChild(first, 'transition');
    if (!stepProto || !stateProto || !transition) {
      throw new InvalidOptError(
        `an ISM_TRANSITION of the ACTION at ${formatPath(node.path)} has no careflow_step`,
        {
          element: 'children',
        },
      );
    }
    const attrPath = addStep(path, attribute);
    const ism = newNode({
      id: buildId(attribute),
      name: attribute,
      rmType: 'ISM_TRANSITION',
      min: first.min,
      max: first.max,
      path: attrPath,
    });
    ism.inContext = true;

    // EHRbase writes min as max for the two synthetic nodes (a quirk kept on purpose).
    const careflowStep = newNode({
      id: 'careflow_step',
      name: 'Careflow_step',
      rmType: 'DV_CODED_TEXT',
      min: stepProto.min,
      max: stepProto.min,
      path: addStep(attrPath, 'careflow_step'),
    });
    careflowStep.inContext = true;
    const stepInput = newInput('code', 'CODED_TEXT');
    stepInput.terminology = 'local';
    for (const t of transitions) {
      const step = findChild(t, 'careflow_step')?.inputs[0]?.list[0];
      if (!step) continue;
      const states = findChild(t, 'current_state')?.inputs[0]?.list ?? [];
      step.currentStates.push(...states.map((s) => s.value));
      stepInput.list.push(step);
    }
    careflowStep.inputs.push(stepInput);
    ism.children.push(careflowStep);

    const currentState = newNode({
      id: 'current_state',
      name: 'Current_state',
      rmType: 'DV_CODED_TEXT',
      min: stateProto.min,
      max: stateProto.min,
      path: addStep(attrPath, 'current_state'),
    });
    currentState.inContext = true;
    const stateInput = newInput('code', 'CODED_TEXT');
    stateInput.terminology = 'openehr';
    for (const t of transitions) {
      for (const i of findChild(t, 'current_state')?.inputs ?? []) stateInput.list.push(...i.list);
    }
    currentState.inputs.push(stateInput);
    ism.children.push(currentState);

    transition.path = addStep(attrPath, 'transition');
    transition.inContext = true;
    ism.children.push(transition);
    node.children.push(ism);
  }

  private anyValueNode(element: WtNode, rmType: string, candidates: ReadonlyMap<string, Input>): WtNode {
    const n = newNode({
      id: '',
      name: element.name,
      rmType,
      min: 0,
      max: 1,
      path: addStep(element.path, 'value'),
    });
    updateChoiceId(n);
    n.inContext = true;
    if (element.localizedName !== undefined) n.localizedName = element.localizedName;
    for (const [k, v] of element.localizedDescriptions) n.localizedDescriptions.set(k, v);
    for (const [k, v] of element.localizedNames) n.localizedNames.set(k, v);
    addDefaultInputs(n, candidates, this.defaults);
    return n;
  }

  /** openEHR_SDK addRMAttributes: one node per RM attribute the OPT does not constrain. */
  private addRmAttributes(node: WtNode, path: AqlPath): void {
    if (!getsRmAttributes(node.rmType)) return;
    for (const attr of addedAttributes(node.rmType)) {
      const id = buildId(attr.name);
      if (node.children.some((c) => fullId(c) === id)) continue;
      node.children.push(this.attributeNode(attr, path, id));
    }
  }

  private attributeNode(attr: RmAttribute, parentPath: AqlPath, id: string): WtNode {
    const min =
      attr.name === 'action_archetype_id' || attr.name === 'math_function' ? 1 : attr.nullable ? 0 : 1;
    const node = newNode({
      id,
      name: attr.name,
      rmType: attr.type,
      min,
      max: attr.multiple ? -1 : 1,
      path: addStep(parentPath, attr.name),
    });
    addDefaultInputs(node, new Map(), this.defaults);
    this.addRmAttributes(node, node.path);
    return node;
  }

  private parseQuantity(c: CDvQuantity, node: WtNode, terms: Terms): void {
    const magnitude = newInput('magnitude', 'DECIMAL');
    if (c.assumedValue?.magnitude !== undefined)
      magnitude.defaultValue = javaDoubleString(c.assumedValue.magnitude);
    const magnitudeDefault = findDefault(this.defaults, node, 'magnitude');
    if (magnitudeDefault !== undefined) magnitude.defaultValue = magnitudeDefault;
    node.inputs.push(magnitude);
    const unit = newInput('unit', 'CODED_TEXT');
    if (c.assumedValue?.units !== undefined) unit.defaultValue = c.assumedValue.units;
    const unitDefault = findDefault(this.defaults, node, 'units');
    if (unitDefault !== undefined) unit.defaultValue = unitDefault;
    node.inputs.push(unit);
    for (const item of c.list) {
      const value = inputValue(item.units);
      value.label = item.units;
      if (item.magnitude || item.precision) {
        value.validation = {};
        if (item.magnitude) value.validation.range = toInterval(item.magnitude, false);
        if (item.precision) value.validation.precision = toInterval(item.precision, true);
      }
      for (const [l, t] of terms.get(item.units) ?? []) value.localizedLabels.set(l, t.text ?? '');
      unit.list.push(value);
    }
    if (unit.list.length === 1) magnitude.validation = unit.list[0]?.validation;
  }

  private parseOrdinal(c: CDvOrdinal, node: WtNode, terms: Terms): void {
    const code = newInput(undefined, 'CODED_TEXT');
    const d = findDefault(this.defaults, node, 'defining_code');
    if (d !== undefined) code.defaultValue = d;
    if (c.assumedValue?.terminology !== undefined) code.terminology = c.assumedValue.terminology;
    if (c.assumedValue?.code !== undefined) code.defaultValue = c.assumedValue.code;
    node.inputs.push(code);
    for (const o of c.list) {
      const value = inputValue(o.code);
      value.ordinal = o.value;
      for (const [l, t] of terms.get(o.code) ?? []) {
        value.localizedLabels.set(l, t.text ?? '');
        value.localizedDescriptions.set(l, t.description ?? '');
      }
      const label = value.localizedLabels.get(this.defaultLanguage);
      if (label !== undefined) value.label = label;
      if (!value.localizedDescriptions.has(this.defaultLanguage))
        value.localizedDescriptions.set(this.defaultLanguage, '');
      code.list.push(value);
    }
  }

  private parseCodePhrase(c: CCodePhrase, node: WtNode, terms: Terms, attribute: string | undefined): void {
    const code = newInput('code', 'CODED_TEXT');
    const d = findDefault(this.defaults, node, 'defining_code');
    if (d !== undefined) code.defaultValue = d;
    node.inputs.push(code);
    if (c.assumedValue !== undefined) code.defaultValue = c.assumedValue;
    const terminology =
      c.referenceSetUri !== undefined
        ? c.referenceSetUri.includes(':')
          ? c.referenceSetUri.slice(c.referenceSetUri.indexOf(':') + 1)
          : c.referenceSetUri
        : c.terminologyId;
    if (terminology !== undefined) code.terminology = terminology;

    if (terminology === 'openehr') {
      // The group comes from the attribute holding the coded text (`category`, `math_function`, …).
      const parentAttribute = node.path.length >= 2 ? node.path[node.path.length - 2]?.attribute : undefined;
      const group = groupOfAttribute(attribute) ?? groupOfAttribute(parentAttribute);
      const languages = [...this.languages];
      if (!languages.includes('en')) languages.push('en');
      for (const term of openEhrTerms(c.codeList, group)) {
        const value = inputValue(term.code);
        value.label = term.rubric;
        // Only English rubrics are carried; EHRbase falls back to English for languages Archie lacks.
        for (const l of languages) value.localizedLabels.set(l, term.rubric);
        code.list.push(value);
      }
    } else {
      const local = terminology === undefined || terminology.trim() === '' || terminology === 'local';
      for (const raw of c.codeList) {
        let key = local ? raw : `${terminology}::${raw}`;
        let def = terms.get(key)?.get(this.defaultLanguage);
        if (!def) {
          key = key.replace(`${terminology}::`, '');
          def = terms.get(key)?.get(this.defaultLanguage);
        }
        if (!def) continue;
        const value = inputValue(
          terminology !== undefined && terminology.trim() !== ''
            ? def.code.replace(`${terminology}::`, '')
            : def.code,
        );
        if (def.text !== undefined) value.label = def.text;
        for (const [l, t] of terms.get(key) ?? []) {
          value.localizedLabels.set(l, t.text ?? '');
          if (t.description !== undefined && t.description.trim() !== '')
            value.localizedDescriptions.set(l, t.description);
        }
        if (!value.localizedDescriptions.has(this.defaultLanguage))
          value.localizedDescriptions.set(this.defaultLanguage, '');
        code.list.push(value);
      }
    }
    if (code.list.length === 0) {
      code.type = 'TEXT';
      const value = newInput('value', 'TEXT');
      if (code.terminology !== undefined) value.terminology = code.terminology;
      node.inputs.push(value);
    }
  }
}

function termsFor(terms: Terms, code: string): Map<string, TermDefinition> {
  let byLanguage = terms.get(code);
  if (!byLanguage) {
    byLanguage = new Map();
    terms.set(code, byLanguage);
  }
  return byLanguage;
}

/** An ELEMENT hands its identity to its value nodes (openEHR_SDK pushProperties). */
function pushProperties(element: WtNode, value: WtNode): void {
  value.nodeId = element.nodeId;
  value.annotations = element.annotations;
  value.name = element.name;
  for (const [k, v] of element.localizedDescriptions) value.localizedDescriptions.set(k, v);
  for (const [k, v] of element.localizedNames) value.localizedNames.set(k, v);
  value.localizedName = element.localizedName;
}

function replaceParentPath(node: WtNode, oldBase: AqlPath, newBase: AqlPath): void {
  const before = node.path;
  node.path = rebase(before, oldBase, newBase);
  for (const c of node.children) replaceParentPath(c, before, node.path);
}

/** Java `Double.toString` for the values EHRbase prints that way (assumed magnitudes). */
export function javaDoubleString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e7) return `${n}.0`;
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number.parseInt(exponent, 10)}`;
}
