import { FlatCodecError } from './errors.js';

/**
 * A FLAT document as a tree of segments (flat-codec-rules.md §2.1): `a:1/b|code` is child `a`, instance 1,
 * child `b`, instance 0, attribute `|code`. Each segment splits at its first `|` (the attribute may itself
 * contain `:`), then at its first `:` (the index, 0 when absent). Reading an attribute marks its key
 * consumed; whatever no reader consumed is reported at the end (`Could not consume Parts`).
 */
export interface FlatEntry {
  key: string;
  value: unknown;
}

export class FlatNode {
  /** `''` = the bare value of this path; `'|code'` … */
  readonly attrs = new Map<string, FlatEntry>();
  readonly children = new Map<string, FlatNode[]>();

  constructor(private readonly consumed: Set<string>) {}

  /** The value of `attr` (`''` for the bare key), marked consumed; `undefined` when absent or null. */
  take(attr: string): unknown {
    const e = this.attrs.get(attr);
    if (!e) return undefined;
    this.consumed.add(e.key);
    return e.value === null ? undefined : e.value;
  }

  /** The key of `attr` (for error messages). */
  keyOf(attr: string): string {
    return this.attrs.get(attr)?.key ?? attr;
  }

  has(attr: string): boolean {
    return this.attrs.has(attr);
  }

  /** Instances of child `name` (sparse array: index → node). */
  list(name: string): FlatNode[] {
    return this.children.get(name) ?? [];
  }

  /** Instance 0 of child `name`. */
  one(name: string): FlatNode | undefined {
    return this.children.get(name)?.[0];
  }

  /** Whether this node or any node below it holds a key. */
  isEmpty(): boolean {
    return this.attrs.size === 0 && this.children.size === 0;
  }

  /** Marks every key at and below this node consumed (a null flavour discards the element's value). */
  consumeAll(): void {
    for (const e of this.attrs.values()) this.consumed.add(e.key);
    for (const list of this.children.values()) for (const n of list) n?.consumeAll();
  }

  /** Attribute names starting with `prefix` (e.g. `|identifiers_id:`), consumed or not. */
  attrNames(prefix: string): string[] {
    return [...this.attrs.keys()].filter((a) => a.startsWith(prefix));
  }

  child(name: string, index: number): FlatNode {
    let list = this.children.get(name);
    if (!list) {
      list = [];
      this.children.set(name, list);
    }
    let node = list[index];
    if (!node) {
      node = new FlatNode(this.consumed);
      list[index] = node;
    }
    return node;
  }
}

export interface ParsedFlat {
  /** The tree below the template's root segment (the root node itself is instance 0 of the root id). */
  root: FlatNode;
  ctx: Map<string, unknown>;
  consumed: Set<string>;
  /** Keys in document order, for the leftover report. */
  keys: string[];
}

const INDEX = /^\d+$/;

export function parseFlat(flat: Record<string, unknown>, rootId: string): ParsedFlat {
  const consumed = new Set<string>();
  const top = new FlatNode(consumed);
  const ctx = new Map<string, unknown>();
  const keys = Object.keys(flat);
  for (const key of keys) {
    const value = flat[key];
    if (key.startsWith('ctx')) {
      // Unknown ctx keys are ignored, as in EHRbase (its filter is a plain startsWith("ctx")).
      ctx.set(key, value);
      continue;
    }
    if (value !== null && typeof value === 'object')
      throw new FlatCodecError(
        `FLAT key "${key}": a value must be a text, number or boolean, not JSON ${Array.isArray(value) ? 'array' : 'object'}`,
        [key],
      );
    const segments = key.split('/');
    let node = top;
    let attr = '';
    let ok = true;
    for (let k = 0; k < segments.length && ok; k++) {
      let seg = segments[k]!;
      const bar = seg.indexOf('|');
      if (bar >= 0) {
        // An attribute only counts on the last segment; elsewhere the key stays unconsumed.
        if (k < segments.length - 1) ok = false;
        attr = seg.slice(bar);
        seg = seg.slice(0, bar);
      }
      const colon = seg.indexOf(':');
      let index = 0;
      if (colon >= 0) {
        const n = seg.slice(colon + 1);
        if (!INDEX.test(n))
          throw new FlatCodecError(`FLAT key "${key}": the index after ":" must be a number, got "${n}"`, [
            key,
          ]);
        index = Number(n);
        seg = seg.slice(0, colon);
      }
      node = node.child(seg, index);
    }
    if (!ok) continue;
    node.attrs.set(attr, { key, value });
  }
  const root = top.list(rootId)[0] ?? new FlatNode(consumed);
  if (top.list(rootId).length > 1) {
    // `root:1/…` keys: never consumed, reported as leftovers.
  }
  return { root, ctx, consumed, keys };
}

/** Keys no reader consumed (ctx keys excluded), in document order. */
export function leftovers(parsed: ParsedFlat): string[] {
  return parsed.keys.filter((k) => !k.startsWith('ctx') && !parsed.consumed.has(k));
}
