import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/**
 * The template ids of the demo data the simulator serves by default (sim/data/demo/manifest.json, shipped
 * with the package). Read as data, not imported: the exporter never depends on the simulator's code.
 */
export async function demoTemplateIds(): Promise<string[]> {
  const path = join(packageRoot(), 'sim', 'data', 'demo', 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as {
    templates?: Array<{ templateId?: unknown }>;
  };
  const ids = (manifest.templates ?? []).flatMap((t) =>
    typeof t.templateId === 'string' ? [t.templateId] : [],
  );
  if (ids.length === 0) throw new Error(`no templates in ${path}`);
  return ids;
}
