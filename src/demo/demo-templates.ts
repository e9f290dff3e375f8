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

/**
 * The template ids a running simulator serves (`GET /definition/template/adl1.4`): with `atlas demo
 * --templates DIR` they come from the user's OPTs, known only once the simulator has read them.
 */
export async function servedTemplateIds(baseUrl: string): Promise<string[]> {
  const res = await fetch(`${baseUrl}/definition/template/adl1.4`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`the simulator's template list answered ${res.status}`);
  const list = (await res.json()) as Array<{ template_id?: unknown }>;
  const ids = list.flatMap((t) => (typeof t.template_id === 'string' ? [t.template_id] : []));
  if (ids.length === 0) throw new Error('the simulator serves no templates');
  return ids;
}
