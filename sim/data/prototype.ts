import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WebTemplate as CodecWebTemplate } from '../../src/template/index.js';
import { offsetMinutesOf, parseInstantUs } from '../time/iso.js';
import { type BodyTemplate, compileBody, getAt, holeMarker, type JsonPath, setAt } from './body-template.js';
import type { ManifestPrototype } from './manifest.js';
import { type NumericPair, pairNumericFields } from './pairing.js';

/** Hole ids shared by the FLAT and canonical body templates of a prototype. */
export const HOLE_UID = 0;
export const HOLE_START_TIME = 1;
export const HOLE_COMPOSER = 2;
export const HOLE_NUMERIC_BASE = 3;

/**
 * One prototype composition (a FLAT file and its canonical twin) compiled for fast variant rendering.
 * The raw bytes are kept so the original is served byte-for-byte.
 */
export interface Prototype {
  /** Global index over all loaded prototypes. */
  index: number;
  templateIndex: number;
  templateId: string;
  /** FLAT tree root id (`vital_signs`, `bericht`, …). */
  root: string;
  flatRaw: Buffer;
  canonicalRaw: Buffer;
  flat: Record<string, unknown>;
  canonical: Record<string, unknown>;
  /** The version uid written in the files (FLAT `_uid` or canonical `uid`), if any. */
  originalUid?: string;
  /** The prototype's own start time (canonical string) and its offset, when both forms carry one. */
  startTime?: { value: string; offsetMinutes: number; us: number };
  /** Whether the composer name is varied (both forms carry `composer|name` / `composer.name`). */
  composer: boolean;
  numeric: NumericPair[];
  /** `name.value` of the composition (`c/name/value`). */
  name: string;
  archetypeNodeId: string;
  flatBody: BodyTemplate;
  canonicalBody: BodyTemplate;
  uidFlatKey: string;
  note?: string;
  /**
   * Set for a template whose population is generated from its web template (src/template codec types):
   * variants are composed per (seed, index, version) instead of filling a prototype's holes.
   */
  generator?: { webTemplate: CodecWebTemplate; optionalRate?: number; maxRepeat?: number };
}

function readJson(file: string): { raw: Buffer; value: Record<string, unknown> } {
  const raw = readFileSync(file);
  try {
    const value = JSON.parse(raw.toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new Error('not a JSON object');
    return { raw, value: value as Record<string, unknown> };
  } catch (cause) {
    throw new Error(`atlas-sim: ${file} is not a JSON object: ${(cause as Error).message}`, { cause });
  }
}

function flatRoot(flat: Record<string, unknown>, file: string): string {
  const keys = Object.keys(flat);
  const uidKey = keys.find((k) => /^[^/]+\/_uid$/.test(k));
  if (uidKey) return uidKey.slice(0, uidKey.indexOf('/'));
  const first = keys.find((k) => !k.startsWith('ctx/') && k.includes('/'));
  if (!first) throw new Error(`atlas-sim: ${file} has no FLAT paths (expected keys like "<root>/...")`);
  return first.slice(0, first.indexOf('/'));
}

/** Copy of `obj` with `key` inserted after `afterKey` (or first), keeping the rest of the key order. */
function insertKey(obj: Record<string, unknown>, key: string, value: unknown, afterKey?: string) {
  const out: Record<string, unknown> = {};
  if (afterKey === undefined || !(afterKey in obj)) out[key] = value;
  for (const [k, v] of Object.entries(obj)) {
    out[k] = v;
    if (k === afterKey) out[key] = value;
  }
  return out;
}

export function loadPrototype(
  baseDir: string,
  spec: ManifestPrototype,
  ids: { index: number; templateIndex: number; templateId: string },
): Prototype {
  const flatFile = resolve(baseDir, spec.flat);
  const canonicalFile = resolve(baseDir, spec.canonical);
  const flatJson = readJson(flatFile);
  const canonicalJson = readJson(canonicalFile);
  const flat = flatJson.value;
  const canonical = canonicalJson.value;
  const templateInDoc = getAt(canonical, ['archetype_details', 'template_id', 'value']);
  if (templateInDoc !== ids.templateId) {
    throw new Error(
      `atlas-sim: ${canonicalFile} belongs to template "${String(templateInDoc)}", but the manifest lists it under "${ids.templateId}"`,
    );
  }
  const root = flatRoot(flat, flatFile);
  const uidFlatKey = `${root}/_uid`;
  const flatUid = typeof flat[uidFlatKey] === 'string' ? (flat[uidFlatKey] as string) : undefined;
  const canonicalUid = getAt(canonical, ['uid', 'value']);
  const originalUid = flatUid ?? (typeof canonicalUid === 'string' ? canonicalUid : undefined);

  // Templates for variants: clone, put hole markers where values vary, serialise once.
  let flatT: Record<string, unknown> = structuredClone(flat);
  let canT: Record<string, unknown> = structuredClone(canonical);
  if (uidFlatKey in flatT) flatT[uidFlatKey] = holeMarker(HOLE_UID);
  else flatT = insertKey(flatT, uidFlatKey, holeMarker(HOLE_UID));
  if (canT.uid && typeof canT.uid === 'object')
    (canT.uid as Record<string, unknown>).value = holeMarker(HOLE_UID);
  else canT = insertKey(canT, 'uid', { _type: 'OBJECT_VERSION_ID', value: holeMarker(HOLE_UID) }, 'name');

  const startKey = `${root}/context/start_time`;
  const startPath: JsonPath = ['context', 'start_time', 'value'];
  const canonicalStart = getAt(canonical, startPath);
  let startTime: Prototype['startTime'];
  if (typeof flat[startKey] === 'string' && typeof canonicalStart === 'string') {
    startTime = {
      value: canonicalStart,
      offsetMinutes: offsetMinutesOf(flat[startKey] as string),
      us: parseInstantUs(canonicalStart),
    };
    flatT[startKey] = holeMarker(HOLE_START_TIME);
    setAt(canT, startPath, holeMarker(HOLE_START_TIME));
  }

  const composerKey = `${root}/composer|name`;
  const composer =
    typeof flat[composerKey] === 'string' && typeof getAt(canonical, ['composer', 'name']) === 'string';
  if (composer) {
    flatT[composerKey] = holeMarker(HOLE_COMPOSER);
    setAt(canT, ['composer', 'name'], holeMarker(HOLE_COMPOSER));
  }

  const numeric = pairNumericFields(flat, canonical);
  numeric.forEach((pair, k) => {
    flatT[pair.flatKey] = holeMarker(HOLE_NUMERIC_BASE + k);
    setAt(canT, pair.canonicalPath, holeMarker(HOLE_NUMERIC_BASE + k));
  });

  const name = getAt(canonical, ['name', 'value']);
  return {
    ...ids,
    root,
    flatRaw: flatJson.raw,
    canonicalRaw: canonicalJson.raw,
    flat,
    canonical,
    ...(originalUid ? { originalUid } : {}),
    ...(startTime ? { startTime } : {}),
    composer,
    numeric,
    name: typeof name === 'string' ? name : '',
    archetypeNodeId: typeof canonical.archetype_node_id === 'string' ? canonical.archetype_node_id : '',
    flatBody: compileBody(flatT),
    canonicalBody: compileBody(canT),
    uidFlatKey,
    ...(spec.note ? { note: spec.note } : {}),
  };
}

/** The prototype of a generated population: no files, bodies composed from the web template on demand. */
export function generatorPrototype(
  ids: { index: number; templateIndex: number; templateId: string },
  webTemplate: CodecWebTemplate,
): Prototype {
  const p = virtualPrototype(ids, webTemplate.tree);
  return { ...p, composer: true, generator: { webTemplate } };
}

/**
 * Stand-in prototype for a template without prototype compositions, so compositions written through the
 * API still have a tree root and names. It has no bodies and is never used to generate variants.
 */
export function virtualPrototype(
  ids: { index: number; templateIndex: number; templateId: string },
  tree: { id: string; name?: string; nodeId?: string } | undefined,
): Prototype {
  const root = tree?.id ?? ids.templateId.replace(/[^\p{L}\p{N}_.-]+/gu, '_').toLowerCase();
  const empty = compileBody({});
  return {
    ...ids,
    root,
    flatRaw: Buffer.alloc(0),
    canonicalRaw: Buffer.alloc(0),
    flat: {},
    canonical: {},
    composer: false,
    numeric: [],
    name: tree?.name ?? ids.templateId,
    archetypeNodeId: tree?.nodeId ?? '',
    flatBody: empty,
    canonicalBody: empty,
    uidFlatKey: `${root}/_uid`,
  };
}
