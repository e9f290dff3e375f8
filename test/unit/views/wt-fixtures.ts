import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebTemplate, WebTemplateNode } from '../../../src/views/types.js';
import { parseWebTemplate } from '../../../src/views/web-template.js';

export const WT_DIR = join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'web-templates');
export const DEMO_WT_DIR = join(process.cwd(), 'sim', 'data', 'demo', 'web-templates');

export function fixtureWebTemplate(file: string, dir = WT_DIR): WebTemplate {
  return parseWebTemplate(JSON.parse(readFileSync(join(dir, file), 'utf8')));
}

/** A deep copy to edit (template evolution tests). */
export function cloneTemplate(wt: WebTemplate): WebTemplate {
  return structuredClone(wt);
}

/** The node at a path of ids below the root. */
export function nodeAt(wt: WebTemplate, ...ids: string[]): WebTemplateNode {
  let node = wt.tree;
  for (const id of ids) {
    const next = node.children?.find((c) => c.id === id);
    if (!next) throw new Error(`no node ${id} under ${node.id}`);
    node = next;
  }
  return node;
}

/** A leaf data-value node. */
export function leaf(id: string, rmType: string, extra: Partial<WebTemplateNode> = {}): WebTemplateNode {
  return { id, name: id, localizedName: id, rmType, min: 0, max: 1, ...extra };
}

/** A small composition web template around `children`. */
export function syntheticTemplate(templateId: string, children: WebTemplateNode[]): WebTemplate {
  return {
    templateId,
    defaultLanguage: 'en',
    tree: { id: 'root', name: 'Root', rmType: 'COMPOSITION', min: 1, max: 1, children },
  };
}
