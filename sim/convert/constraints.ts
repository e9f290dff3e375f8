import type { WebTemplate, WebTemplateNode } from '../../src/template/index.js';

/**
 * The template constraints EHRbase's validator enforces after a composition parsed (flat-codec-rules.md
 * §8.2 → 422), checked on the FLAT form of the stored composition: coded values from closed lists,
 * quantity units from the unit list, magnitudes and counts within their ranges, repeated nodes within
 * their maximum occurrences, and a territory. Messages are `<aqlPath>: <problem>`, joined by `, `.
 * Not checked (documented gap): missing mandatory nodes, patterns, durations, proportions.
 */
export function constraintViolations(wt: WebTemplate, flat: Record<string, unknown>): string[] {
  const nodes = new Map<string, WebTemplateNode>();
  const index = (n: WebTemplateNode, path: string) => {
    nodes.set(path, n);
    for (const c of n.children ?? []) if (!nodes.has(`${path}/${c.id}`)) index(c, `${path}/${c.id}`);
  };
  index(wt.tree, wt.tree.id);
  const problems: string[] = [];
  const occurrences = new Map<string, { node: WebTemplateNode; indices: Set<string> }>();
  for (const [key, value] of Object.entries(flat)) {
    if (key.startsWith('ctx/')) continue;
    const slash = key.lastIndexOf('/');
    const bar = key.indexOf('|', slash);
    const path = bar >= 0 ? key.slice(0, bar) : key;
    const attr = bar >= 0 ? key.slice(bar + 1) : '';
    const segments = path.split('/');
    let plain = '';
    let instance = '';
    for (const seg of segments) {
      const m = /^(.*?)(?::(\d+))?$/.exec(seg)!;
      plain = plain ? `${plain}/${m[1]}` : m[1]!;
      const node = nodes.get(plain);
      if (node && m[2] !== undefined && node.max !== undefined && node.max !== -1) {
        const slot = `${instance}|${plain}`;
        const o = occurrences.get(slot) ?? { node, indices: new Set<string>() };
        o.indices.add(m[2]);
        occurrences.set(slot, o);
      }
      instance = instance ? `${instance}/${seg}` : seg;
    }
    const node = nodes.get(plain);
    if (node) problems.push(...leafProblems(node, attr, value, flat, path));
  }
  for (const { node, indices } of occurrences.values())
    if (indices.size > node.max)
      problems.push(`${node.aqlPath}: ${indices.size} occurrences, at most ${node.max} allowed`);
  if (!Object.keys(flat).some((k) => k === `${wt.tree.id}/territory|code`))
    problems.push('/territory: Attribute territory of class COMPOSITION does not match existence 1..1');
  return [...new Set(problems)];
}

function inRange(
  v: number,
  r: { min?: unknown; minOp?: string; max?: unknown; maxOp?: string } | undefined,
): boolean {
  if (!r) return true;
  if (typeof r.min === 'number' && (r.minOp === '>' ? v <= r.min : v < r.min)) return false;
  if (typeof r.max === 'number' && (r.maxOp === '<' ? v >= r.max : v > r.max)) return false;
  return true;
}

function rangeText(r: { min?: unknown; minOp?: string; max?: unknown; maxOp?: string }): string {
  return `${r.minOp ?? '>='}${r.min ?? '-∞'}, ${r.maxOp ?? '<='}${r.max ?? '∞'}`;
}

function leafProblems(
  node: WebTemplateNode,
  attr: string,
  value: unknown,
  flat: Record<string, unknown>,
  path: string,
): string[] {
  const at = node.aqlPath ?? path;
  const input = (suffix?: string) => node.inputs?.find((i) => i.suffix === suffix);
  switch (node.rmType) {
    case 'DV_CODED_TEXT':
    case 'DV_ORDINAL': {
      if (attr !== 'code') return [];
      const code = node.rmType === 'DV_ORDINAL' ? input(undefined) : input('code');
      const list = code?.list;
      if (!list || list.length === 0 || code?.listOpen) return [];
      if (list.some((i) => i.value === value)) return [];
      return [
        `${at}: The value ${String(value)} does not match any option from value set [${list.map((i) => i.value).join(', ')}]`,
      ];
    }
    case 'DV_QUANTITY': {
      const units = input('unit')?.list ?? [];
      const unit = flat[`${path}|unit`];
      const item = units.find((u) => u.value === unit);
      if (attr === 'unit' && units.length > 0 && !item)
        return [`${at}: unit ${String(unit)} is not one of [${units.map((u) => u.value).join(', ')}]`];
      if (attr === 'magnitude' && typeof value === 'number') {
        const range = (item?.validation ?? input('magnitude')?.validation)?.range;
        if (range && !inRange(value, range))
          return [`${at}: magnitude ${value} is not within range ${rangeText(range)}`];
      }
      return [];
    }
    case 'DV_COUNT': {
      const range = input(undefined)?.validation?.range;
      if (attr === '' && typeof value === 'number' && range && !inRange(value, range))
        return [`${at}: count ${value} is not within range ${rangeText(range)}`];
      return [];
    }
    default:
      return [];
  }
}
