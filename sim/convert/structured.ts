/**
 * FLAT → STRUCTURED (structSDT, openehr-rest.md §7.6): the same ids nested, every value wrapped in an
 * array indexed by the `:n` of its segment, attributes as `"|code"` properties.
 */
export function flatToStructured(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key.startsWith('ctx/')) continue;
    const bar = key.indexOf('|', key.lastIndexOf('/'));
    const path = bar >= 0 ? key.slice(0, bar) : key;
    const attr = bar >= 0 ? key.slice(bar) : undefined;
    const segments = path.split('/');
    let obj = root;
    segments.forEach((seg, k) => {
      const m = /^(.*?)(?::(\d+))?$/.exec(seg)!;
      const id = m[1]!;
      const index = m[2] ? Number(m[2]) : 0;
      if (!Array.isArray(obj[id])) obj[id] = [];
      const list = obj[id] as unknown[];
      const last = k === segments.length - 1;
      if (last && attr === undefined) {
        const existing = list[index];
        if (existing && typeof existing === 'object' && !Array.isArray(existing))
          (existing as Record<string, unknown>)[''] = value;
        else list[index] = value;
        return;
      }
      let item = list[index];
      if (item === undefined || item === null || typeof item !== 'object') {
        item = item === undefined ? {} : { '': item };
        list[index] = item;
      }
      obj = item as Record<string, unknown>;
      if (last && attr !== undefined) obj[attr] = value;
    });
  }
  // Segment 0 is the tree root: `{"bericht": [ {...} ]}` becomes `{"bericht": {...}}` as EHRbase renders it.
  const out: Record<string, unknown> = {};
  for (const [id, list] of Object.entries(root))
    out[id] = Array.isArray(list) && list.length === 1 ? list[0] : list;
  return out;
}

interface TreeNode {
  id: string;
  max?: number;
  children?: TreeNode[];
}

/**
 * STRUCTURED → FLAT (POST/PUT with `format=STRUCTURED`): the inverse of flatToStructured. STRUCTURED wraps
 * every value in an array, so the web template decides which segments carry `:n` (nodes with max ≠ 1);
 * `ctx` entries become `ctx/…` keys. Keys the template does not know are kept, so the codec names them.
 */
export function structuredToFlat(tree: TreeNode, doc: Record<string, unknown>): Record<string, unknown> {
  const multi = new Map<string, boolean>();
  const index = (n: TreeNode, path: string) => {
    multi.set(path, n.max === -1 || (n.max ?? 1) > 1);
    for (const c of n.children ?? []) if (!multi.has(`${path}/${c.id}`)) index(c, `${path}/${c.id}`);
  };
  index(tree, tree.id);
  const flat: Record<string, unknown> = {};
  const walk = (value: unknown, key: string, plain: string) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      flat[key] = value;
      return;
    }
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (name === '') flat[key] = v;
      else if (name.startsWith('|')) flat[`${key}${name}`] = v;
      else {
        const childPlain = `${plain}/${name}`;
        const items = Array.isArray(v) ? v : [v];
        items.forEach((item, k) => {
          const segment = multi.get(childPlain) || k > 0 ? `${name}:${k}` : name;
          walk(item, `${key}/${segment}`, childPlain);
        });
      }
    }
  };
  for (const [name, v] of Object.entries(doc)) {
    const items = Array.isArray(v) ? v : [v];
    if (name === 'ctx') {
      for (const item of items)
        for (const [k, x] of Object.entries((item ?? {}) as Record<string, unknown>))
          flat[`ctx/${k}`] = Array.isArray(x) ? x[0] : x;
      continue;
    }
    items.forEach((item, k) => {
      walk(item, k > 0 ? `${name}:${k}` : name, name);
    });
  }
  return flat;
}
