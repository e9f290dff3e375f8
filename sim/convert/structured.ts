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
