import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WebTemplate as CodecWebTemplate } from '../../src/template/index.js';
import { rootArchetypeId } from './compile-template.js';
import { loadManifest } from './manifest.js';
import { generatorPrototype, loadPrototype, type Prototype, virtualPrototype } from './prototype.js';

export interface TemplateData {
  index: number;
  templateId: string;
  concept: string;
  archetypeId: string;
  createdTimestamp: string;
  opt?: Buffer;
  webTemplateRaw?: Buffer;
  /** Parsed web template (tree of nodes), used by the FLAT ↔ canonical converters. */
  webTemplate?: WebTemplate;
  prototypes: Prototype[];
  /** Prototype index that compositions written through the API are attached to (first prototype or a virtual one). */
  anchor: number;
  /** What `control.commit` starts from when not the population's first prototype (a file prototype of a generated template). */
  commitFrom?: Prototype;
}

export interface WebTemplateNode {
  id: string;
  name?: string;
  rmType: string;
  nodeId?: string;
  min?: number;
  max?: number;
  aqlPath?: string;
  inputs?: Array<{
    suffix?: string;
    type?: string;
    list?: Array<{ value: string; label?: string }>;
    terminology?: string;
  }>;
  inContext?: boolean;
  children?: WebTemplateNode[];
}

export interface WebTemplate {
  templateId: string;
  defaultLanguage?: string;
  tree: WebTemplateNode;
}

export interface DataSet {
  source: string;
  templates: TemplateData[];
  /** Prototypes of all templates, indexed by `Prototype.index`. */
  prototypes: Prototype[];
}

function firstMatch(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1]?.trim();
}

/** Load a manifest's templates (optionally only `only`) and compile their prototypes. */
export function loadDataSet(dataDir: string, only?: readonly string[]): DataSet {
  const { manifest, baseDir, file } = loadManifest(dataDir);
  const wanted = only && only.length > 0 ? new Set(only) : undefined;
  if (wanted) {
    const known = new Set(manifest.templates.map((t) => t.templateId));
    const missing = [...wanted].filter((t) => !known.has(t));
    if (missing.length > 0) {
      throw new Error(
        `atlas-sim: template(s) ${missing.join(', ')} not in ${file}; known: ${[...known].join(', ')}`,
      );
    }
  }
  const templates: TemplateData[] = [];
  const prototypes: Prototype[] = [];
  for (const spec of manifest.templates) {
    if (wanted && !wanted.has(spec.templateId)) continue;
    const index = templates.length;
    const opt = spec.opt ? readFileSync(resolve(baseDir, spec.opt)) : undefined;
    const webTemplateRaw = spec.webTemplate ? readFileSync(resolve(baseDir, spec.webTemplate)) : undefined;
    const webTemplate = webTemplateRaw
      ? (JSON.parse(webTemplateRaw.toString('utf8')) as WebTemplate)
      : undefined;
    const optText = opt?.toString('utf8') ?? '';
    const protos = spec.prototypes.map((p, k) =>
      loadPrototype(baseDir, p, {
        index: prototypes.length + k,
        templateIndex: index,
        templateId: spec.templateId,
      }),
    );
    prototypes.push(...protos);
    // `generate`: the population is composed from the web template; the prototypes stay as originals.
    let population = protos;
    if (spec.generate) {
      if (!webTemplate)
        throw new Error(`atlas-sim: ${spec.templateId} has "generate" but no webTemplate in ${file}`);
      const gen = generatorPrototype(
        { index: prototypes.length, templateIndex: index, templateId: spec.templateId },
        webTemplate as unknown as CodecWebTemplate,
      );
      prototypes.push(gen);
      population = [gen];
    }
    let anchor = population[0]?.index;
    if (anchor === undefined) {
      anchor = prototypes.length;
      prototypes.push(
        virtualPrototype(
          { index: anchor, templateIndex: index, templateId: spec.templateId },
          webTemplate?.tree,
        ),
      );
    }
    templates.push({
      anchor,
      index,
      templateId: spec.templateId,
      concept:
        spec.concept ??
        firstMatch(optText, /<concept>([^<]*)<\/concept>/) ??
        webTemplate?.tree.name ??
        spec.templateId,
      archetypeId:
        rootArchetypeId(optText) ??
        webTemplate?.tree.nodeId ??
        (protos[0]?.archetypeNodeId || 'openEHR-EHR-COMPOSITION.unknown.v1'),
      createdTimestamp: spec.createdTimestamp ?? '2024-03-06T13:08:16.216+01:00',
      ...(opt ? { opt } : {}),
      ...(webTemplateRaw ? { webTemplateRaw } : {}),
      ...(webTemplate ? { webTemplate } : {}),
      prototypes: population,
      ...(spec.generate && protos[0] ? { commitFrom: protos[0] } : {}),
    });
  }
  if (templates.length === 0) throw new Error(`atlas-sim: no templates selected from ${file}`);
  return { source: file, templates, prototypes };
}
