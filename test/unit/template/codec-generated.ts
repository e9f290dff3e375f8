import fc from 'fast-check';
import type { FlatComposition, WebTemplate, WebTemplateNode } from '../../../src/template/index.js';

/**
 * Random FLAT compositions of a web template, in the form EHRbase's marshaller writes (so a round trip
 * must give every key back): a random subset of nodes, 1–2 instances of repeatable ones, values valid for
 * their data type, listed codes with their template labels, null flavours on some elements.
 */
type Gen = fc.GeneratorValue;

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 äöü.,-]{0,11}$/);
const real = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 100);
const dateTime = fc
  .tuple(
    fc.integer({ min: 1990, max: 2030 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.constantFrom('', '.5', '.123', '.000001'),
    fc.constantFrom('Z', '+02:00', '-05:30'),
  )
  .map(([y, mo, d, h, mi, f, z]) => `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:07${f}${z}`);
const date = fc
  .tuple(
    fc.integer({ min: 1990, max: 2030 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, mo, d]) => `${y}-${p2(mo)}-${p2(d)}`);
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${p2(h)}:${p2(m)}:00`);
const duration = fc.constantFrom('PT30M', 'PT1H30M', 'P3D', 'P1Y2M10DT2H30M', 'PT36H', 'P14D', 'PT0.5S');

function p2(n: number): string {
  return String(n).padStart(2, '0');
}

function codeList(node: WebTemplateNode) {
  const input = node.inputs?.find((i) => i.list && i.list.length > 0 && (i.suffix === 'code' || !i.suffix));
  return input ? { list: input.list!, terminology: input.terminology } : undefined;
}

function leaf(
  g: Gen,
  node: WebTemplateNode,
  key: string,
  out: FlatComposition,
  parent: WebTemplateNode,
): void {
  const type = node.rmType;
  const put = (k: string, v: unknown) => {
    out[k] = v;
  };
  switch (type.replace(/<.*/, '')) {
    case 'DV_TEXT':
      put(
        key,
        g(() => word),
      );
      return;
    case 'DV_CODED_TEXT': {
      const codes = codeList(node);
      const open = node.inputs?.some((i) => i.suffix === 'other');
      if (open && g(() => fc.boolean())) {
        put(
          `${key}|other`,
          g(() => word),
        );
        return;
      }
      if (codes) {
        const item = g(() => fc.constantFrom(...codes.list));
        put(`${key}|code`, item.value);
        put(`${key}|value`, item.label ?? item.value);
        put(`${key}|terminology`, codes.terminology ?? 'local');
        return;
      }
      put(
        `${key}|code`,
        g(() => fc.stringMatching(/^[0-9]{3,6}$/)),
      );
      put(
        `${key}|value`,
        g(() => word),
      );
      put(
        `${key}|terminology`,
        node.id === 'setting' || node.id === 'math_function' ? 'openehr' : 'SNOMED-CT',
      );
      return;
    }
    case 'CODE_PHRASE':
      if (node.id === 'encoding') {
        put(`${key}|code`, 'UTF-8');
        put(`${key}|terminology`, 'IANA_character-sets');
      } else if (node.id === 'territory') {
        put(
          `${key}|code`,
          g(() => fc.constantFrom('DE', 'GB', 'UY')),
        );
        put(`${key}|terminology`, 'ISO_3166-1');
      } else {
        put(
          `${key}|code`,
          g(() => fc.constantFrom('en', 'de')),
        );
        put(`${key}|terminology`, 'ISO_639-1');
      }
      return;
    case 'DV_QUANTITY': {
      put(
        `${key}|magnitude`,
        g(() => real),
      );
      const units = node.inputs?.find((i) => i.suffix === 'unit')?.list;
      put(`${key}|unit`, units?.length ? g(() => fc.constantFrom(...units.map((u) => u.value))) : 'mm');
      return;
    }
    case 'DV_COUNT':
      put(
        key,
        g(() => fc.integer({ min: -1000, max: 100_000 })),
      );
      return;
    case 'DV_ORDINAL': {
      const codes = codeList(node);
      if (!codes) return;
      const item = g(() => fc.constantFrom(...codes.list));
      put(`${key}|code`, item.value);
      put(`${key}|value`, item.label ?? item.value);
      put(`${key}|ordinal`, item.ordinal);
      return;
    }
    case 'DV_PROPORTION': {
      const n = g(() => real);
      const d = g(() => fc.integer({ min: 1, max: 1000 }));
      put(key, n / d);
      put(`${key}|numerator`, n);
      put(`${key}|denominator`, d);
      put(
        `${key}|type`,
        g(() => fc.integer({ min: 0, max: 4 })),
      );
      return;
    }
    case 'DV_DURATION':
      put(
        key,
        g(() => duration),
      );
      return;
    case 'DV_DATE_TIME':
      put(
        key,
        g(() => dateTime),
      );
      return;
    case 'DV_DATE':
      put(
        key,
        g(() => date),
      );
      return;
    case 'DV_TIME':
      put(
        key,
        g(() => time),
      );
      return;
    case 'DV_BOOLEAN':
      put(
        key,
        g(() => fc.boolean()),
      );
      return;
    case 'DV_IDENTIFIER':
      put(
        `${key}|id`,
        g(() => word),
      );
      put(
        `${key}|issuer`,
        g(() => word),
      );
      put(`${key}|type`, 'LOCALID');
      return;
    case 'DV_URI':
      put(key, `https://example.org/${g(() => fc.integer({ min: 0, max: 999 }))}`);
      return;
    case 'DV_EHR_URI':
      put(key, `ehr://example/${g(() => fc.integer({ min: 0, max: 999 }))}`);
      return;
    case 'DV_MULTIMEDIA':
      put(key, 'https://example.org/image.png');
      put(`${key}|mediatype`, 'image/png');
      put(
        `${key}|size`,
        g(() => fc.integer({ min: 0, max: 1_000_000 })),
      );
      return;
    case 'DV_PARSABLE':
      put(
        key,
        g(() => word),
      );
      put(
        `${key}|formalism`,
        g(() => fc.constantFrom('text/plain', 'ISO8601')),
      );
      return;
    case 'DV_INTERVAL':
      for (const c of node.children ?? []) leaf(g, c, `${key}/${c.id}`, out, node);
      return;
    case 'PARTY_PROXY':
      // An entry subject PARTY_SELF writes no keys; composers are named parties.
      if (node.id !== 'subject')
        put(
          `${key}|name`,
          g(() => word),
        );
      return;
    case 'STRING':
      if (parent.rmType === 'ACTIVITY')
        put(
          key,
          g(() => word),
        );
      return;
  }
}

function isFoldedElement(node: WebTemplateNode): boolean {
  return (
    /\/items\[[^\]]+\]\/value$/.test(node.aqlPath ?? '') ||
    /\/item\[[^\]]+\]\/value$/.test(node.aqlPath ?? '')
  );
}

function walk(g: Gen, node: WebTemplateNode, key: string, out: FlatComposition, depth: number): void {
  const kids = (node.children ?? []).filter((c) => !(c.aqlPath ?? '').includes('/instruction_details/'));
  const choice = node.rmType === 'ELEMENT';
  const chosen = choice && kids.length ? [g(() => fc.constantFrom(...kids))] : kids;
  for (const child of chosen) {
    const required = (child.min ?? 0) >= 1 || child.inContext === true;
    if (!choice && !required && !g(() => fc.boolean())) continue;
    const multi = child.max === -1 || (child.max ?? 1) > 1;
    const count = multi ? g(() => fc.integer({ min: 1, max: depth < 3 ? 2 : 1 })) : 1;
    for (let k = 0; k < count; k++) {
      const childKey = `${key}/${child.id}${multi ? `:${k}` : ''}`;
      if (
        child.rmType.startsWith('DV_') ||
        ['CODE_PHRASE', 'PARTY_PROXY', 'STRING', 'LOCATABLE_REF'].includes(child.rmType)
      ) {
        // A choice alternative is a value, not an ELEMENT: its null flavour would belong to the ELEMENT above.
        if (!choice && isFoldedElement(child) && g(() => fc.integer({ min: 0, max: 9 })) === 0) {
          out[`${childKey}/_null_flavour|code`] = '253';
          out[`${childKey}/_null_flavour|value`] = 'unknown';
          out[`${childKey}/_null_flavour|terminology`] = 'openehr';
        } else leaf(g, child, childKey, out, node);
      } else {
        const before = Object.keys(out).length;
        walk(g, child, childKey, out, depth + 1);
        // An instance without data is pruned (and later indices move up), so give each one a value.
        if (Object.keys(out).length === before) firstLeaf(g, child, childKey, out);
      }
    }
  }
}

const isLeafNode = (n: WebTemplateNode) =>
  n.rmType.startsWith('DV_') || ['CODE_PHRASE', 'PARTY_PROXY', 'STRING', 'LOCATABLE_REF'].includes(n.rmType);

function firstLeaf(g: Gen, node: WebTemplateNode, key: string, out: FlatComposition): void {
  const child = (node.children ?? []).find(
    (c) =>
      (isLeafNode(c) ? c.rmType.startsWith('DV_') : true) &&
      !(c.aqlPath ?? '').includes('/instruction_details/'),
  );
  if (!child) return;
  const multi = child.max === -1 || (child.max ?? 1) > 1;
  const childKey = `${key}/${child.id}${multi ? ':0' : ''}`;
  if (isLeafNode(child)) leaf(g, child, childKey, out, node);
  else firstLeaf(g, child, childKey, out);
}

/** An arbitrary FLAT composition of `wt`. */
export function flatOf(wt: WebTemplate): fc.Arbitrary<FlatComposition> {
  return fc.gen().map((g) => {
    const out: FlatComposition = {};
    walk(g, wt.tree, wt.tree.id, out, 0);
    return out;
  });
}
