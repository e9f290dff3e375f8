/**
 * AQL paths of web-template nodes: a list of steps `/attribute[atCode and name/value='name']`. Formatted in
 * the long form EHRbase serves (openEHR_SDK AqlPath.format): node id first, then the name predicate, the
 * name quoted with single quotes and not escaped.
 */
export interface PathStep {
  readonly attribute: string;
  readonly atCode?: string;
  readonly nameValue?: string;
}

export type AqlPath = readonly PathStep[];

export const EMPTY_PATH: AqlPath = [];

export function addStep(path: AqlPath, attribute: string): AqlPath {
  return [...path, { attribute }];
}

export function withLast(path: AqlPath, change: Partial<PathStep>): AqlPath {
  const last = path[path.length - 1];
  if (!last) return path;
  return [...path.slice(0, -1), { ...last, ...change }];
}

function formatStep(step: PathStep, withNames: boolean): string {
  const predicates: string[] = [];
  if (step.atCode) predicates.push(step.atCode);
  if (withNames && step.nameValue !== undefined) predicates.push(`name/value='${step.nameValue}'`);
  return predicates.length === 0 ? `/${step.attribute}` : `/${step.attribute}[${predicates.join(' and ')}]`;
}

/** The path as text; `withNames: false` drops the name predicates (openEHR_SDK `format(false)`). */
export function formatPath(path: AqlPath, withNames = true): string {
  let out = '';
  for (const step of path) out += formatStep(step, withNames);
  return out;
}

export function samePath(a: AqlPath, b: AqlPath, withNames: boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as PathStep;
    const y = b[i] as PathStep;
    if (x.attribute !== y.attribute || (x.atCode ?? '') !== (y.atCode ?? '')) return false;
    if (withNames && x.nameValue !== y.nameValue) return false;
  }
  return true;
}

/** Replaces the prefix `oldBase` of `path` by `newBase` (both of the same length). */
export function rebase(path: AqlPath, oldBase: AqlPath, newBase: AqlPath): AqlPath {
  return [...newBase, ...path.slice(oldBase.length)];
}

const STEP = /\/([^/[]+)(?:\[([^\]]*)\])?/gy;

/**
 * Parses a path as written in an OPT (`/items[at0001]`, `/content[openEHR-…v1 and name/value='X']`, the
 * short form `[at0001,'X']`). Returns undefined when the text is not a path of that shape (EHRbase then
 * finds no match for it either).
 */
export function parsePath(text: string): AqlPath | undefined {
  const steps: PathStep[] = [];
  STEP.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    STEP.lastIndex = pos;
    const m = STEP.exec(text);
    if (!m) return undefined;
    pos = STEP.lastIndex;
    const attribute = m[1] as string;
    const predicate = m[2];
    if (predicate === undefined) {
      steps.push({ attribute });
      continue;
    }
    const long = /^\s*([^\s,']*)\s*(?:and\s+name\/value\s*=\s*'([^']*)')?\s*$/.exec(predicate);
    const short = /^\s*([^\s,']*)\s*,\s*'([^']*)'\s*$/.exec(predicate);
    const named = /^\s*name\/value\s*=\s*'([^']*)'\s*$/.exec(predicate);
    if (named) steps.push({ attribute, nameValue: named[1] });
    else if (short) steps.push({ attribute, atCode: short[1] || undefined, nameValue: short[2] });
    else if (long) steps.push({ attribute, atCode: long[1] || undefined, nameValue: long[2] });
    else return undefined;
  }
  return steps;
}
