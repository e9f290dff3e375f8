/**
 * A JSON document pre-serialised once with holes: serving a variant is string concatenation of the
 * fixed chunks and the few varying values, with no JSON.stringify of the whole body per request.
 */
export interface BodyTemplate {
  chunks: string[];
  /** holes[k] = id of the value inserted between chunks[k] and chunks[k+1]. */
  holes: number[];
}

export type JsonPath = ReadonlyArray<string | number>;

const MARK = '\u0001H';
const HOLE_RE = /"\\u0001H(\d+)\\u0001"/g;

export function holeMarker(id: number): string {
  return `${MARK}${id}\u0001`;
}

/** Serialise `doc` (already holding `holeMarker(id)` strings where values vary) into a template. */
export function compileBody(doc: unknown): BodyTemplate {
  const text = JSON.stringify(doc);
  const chunks: string[] = [];
  const holes: number[] = [];
  let last = 0;
  for (const m of text.matchAll(HOLE_RE)) {
    chunks.push(text.slice(last, m.index));
    holes.push(Number(m[1]));
    last = m.index + m[0].length;
  }
  chunks.push(text.slice(last));
  return { chunks, holes };
}

/** Fill the holes with already JSON-encoded values (`values[id]`). */
export function renderBody(t: BodyTemplate, values: readonly string[]): string {
  let out = t.chunks[0]!;
  for (let k = 0; k < t.holes.length; k++) out += values[t.holes[k]!]! + t.chunks[k + 1]!;
  return out;
}

export function getAt(doc: unknown, path: JsonPath): unknown {
  let cur: unknown = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function setAt(doc: unknown, path: JsonPath, value: unknown): boolean {
  let cur: unknown = doc;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string | number, unknown>)[path[i]!];
  }
  if (cur === null || typeof cur !== 'object') return false;
  (cur as Record<string | number, unknown>)[path[path.length - 1]!] = value;
  return true;
}
