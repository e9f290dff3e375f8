import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The data-directory manifest (`manifest.json`): which templates exist and where their OPT, web template
 * and prototype compositions live. A FLAT file carries no template id, so each prototype pairs a FLAT
 * file with its canonical JSON under the template it belongs to. Paths are relative to `baseDir`, which
 * is itself relative to the manifest's folder (default: that folder).
 */
const PrototypeSchema = z.object({
  /** FLAT (simSDT) JSON, server-output style (`<root>/_uid`, no `ctx/` keys). */
  flat: z.string().min(1),
  /** Canonical JSON of the same composition. */
  canonical: z.string().min(1),
  /** Free text, e.g. "FLAT and canonical are different instances". */
  note: z.string().optional(),
});

const TemplateSchema = z.object({
  templateId: z.string().min(1),
  /** ADL 1.4 operational template (XML), served for `Accept: application/xml`. */
  opt: z.string().optional(),
  /** EHRbase web template JSON, served for `Accept: application/openehr.wt+json` / `application/json`. */
  webTemplate: z.string().optional(),
  /** Template list `concept`; default: the OPT's `<concept>` or the web template root name. */
  concept: z.string().optional(),
  /** Template list `created_timestamp`. */
  createdTimestamp: z.string().optional(),
  prototypes: z.array(PrototypeSchema).default([]),
  /**
   * Compose the population from the web template (sim/generate) instead of varying the prototypes; the
   * prototypes are still served as themselves.
   */
  generate: z.boolean().optional(),
});

export const ManifestSchema = z.object({
  description: z.string().optional(),
  baseDir: z.string().optional(),
  templates: z.array(TemplateSchema).min(1),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestTemplate = z.infer<typeof TemplateSchema>;
export type ManifestPrototype = z.infer<typeof PrototypeSchema>;

export interface LoadedManifest {
  manifest: Manifest;
  /** Absolute folder the manifest's relative paths are resolved against. */
  baseDir: string;
  /** Absolute path of the manifest file. */
  file: string;
}

/** `dataDir` may be a folder holding manifest.json or the manifest file itself. */
export function loadManifest(dataDir: string): LoadedManifest {
  const abs = resolve(dataDir);
  const file = statSync(abs, { throwIfNoEntry: false })?.isDirectory() ? join(abs, 'manifest.json') : abs;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`atlas-sim: cannot read the data manifest ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`atlas-sim: invalid data manifest ${file}: ${z.prettifyError(parsed.error)}`);
  }
  const manifestDir = dirname(file);
  return {
    manifest: parsed.data,
    baseDir: resolve(manifestDir, parsed.data.baseDir ?? '.'),
    file,
  };
}
