import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlatComposition, RmObject, WebTemplate } from '../../../src/template/index.js';

/** The shared openEHR fixtures (../shared/openehr-fixtures), read in place. */
export const FIXTURES = join(process.cwd(), '..', 'shared', 'openehr-fixtures');

export function webTemplate(file: string): WebTemplate {
  return JSON.parse(readFileSync(join(FIXTURES, 'web-templates', file), 'utf8')) as WebTemplate;
}

export function composition<T = FlatComposition>(file: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, 'compositions', file), 'utf8')) as T;
}

export function canonical(file: string): RmObject {
  return composition<RmObject>(`canonical/${file}`);
}

export function flatFixtureFiles(): string[] {
  return ['flat', 'flat-more'].flatMap((dir) =>
    readdirSync(join(FIXTURES, 'compositions', dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${dir}/${f}`),
  );
}

/** The raw JSON text of every top-level value of a FLAT file, by key (to check `39.0` vs `39`). */
export function valueTexts(file: string): Map<string, string> {
  const text = readFileSync(join(FIXTURES, 'compositions', file), 'utf8');
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^\s*("(?:[^"\\]|\\.)*")\s*:\s*(.*?),?\s*$/gm))
    out.set(JSON.parse(m[1]!) as string, m[2]!);
  return out;
}

/** Differences between two FLAT maps, numbers compared by value: `-` only in a, `+` only in b, `~` changed. */
export function flatDiff(a: FlatComposition, b: FlatComposition): string[] {
  const out: string[] = [];
  for (const k of Object.keys(a)) {
    if (!(k in b)) out.push(`- ${k}`);
    else if (a[k] !== b[k]) out.push(`~ ${k}: ${JSON.stringify(a[k])} -> ${JSON.stringify(b[k])}`);
  }
  for (const k of Object.keys(b)) if (!(k in a)) out.push(`+ ${k}`);
  return out.sort();
}

export const NOW = () => '2026-01-02T03:04:05.678Z';
