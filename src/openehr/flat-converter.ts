import { createHash } from 'node:crypto';
import { canonicalToFlat, type WebTemplate } from '../template/index.js';
import { getWebTemplate, type TemplateDeps } from './templates.js';
import type { FlatConverter } from './types.js';

/**
 * Web templates by the SHA-256 of their JSON. The codec compiles a web template once per object
 * (a 1.2 MB one takes a while), so an unchanged template fetched again by the next run (`atlas sync`)
 * reuses the compiled plan, and a changed one never does. Bounded: a long-lived process exporting ever
 * new template versions keeps the latest few.
 */
const compiled = new Map<string, WebTemplate>();
const MAX_CACHED = 32;

function cached(hash: string, wt: WebTemplate): WebTemplate {
  const hit = compiled.get(hash);
  if (hit) return hit;
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(hash, wt);
  return wt;
}

function isWebTemplate(v: unknown): v is WebTemplate {
  const tree = (v as { tree?: unknown } | null)?.tree;
  return typeof tree === 'object' && tree !== null && typeof (tree as { id?: unknown }).id === 'string';
}

/** Fetches the template's web template (one GET) and returns the local canonical → FLAT conversion. */
export async function flatConverter(
  deps: TemplateDeps,
  templateId: string,
  signal?: AbortSignal,
): Promise<FlatConverter> {
  const body = await getWebTemplate(deps, templateId, signal);
  if (!isWebTemplate(body)) throw new Error(`web template "${templateId}" has no tree`);
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const wt = cached(hash, body);
  return {
    webTemplateHash: hash,
    toFlat: (canonical) => canonicalToFlat(wt, canonical),
  };
}
