import { z } from 'zod';
import type { WebTemplate, WebTemplateNode } from './types.js';

const nodeSchema: z.ZodType<WebTemplateNode> = z.lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    localizedName: z.string().optional(),
    localizedNames: z.record(z.string(), z.string()).optional(),
    rmType: z.string().min(1),
    nodeId: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    aqlPath: z.string().optional(),
    inContext: z.boolean().optional(),
    inputs: z.array(z.object({ suffix: z.string().optional(), type: z.string().optional() })).optional(),
    children: z.array(nodeSchema).optional(),
  }),
);

const webTemplateSchema = z.object({
  templateId: z.string().min(1),
  defaultLanguage: z.string().optional(),
  tree: nodeSchema,
});

/**
 * Validates the parts of a web template Atlas reads (`templateId`, and per node `id`, `rmType`, `min`,
 * `max`, `inputs`, `children`, names) and drops the rest. Also accepts the legacy ECIS envelope
 * `{ webTemplate: {...} }`.
 */
export function parseWebTemplate(json: unknown, expectedTemplateId?: string): WebTemplate {
  const body =
    json !== null && typeof json === 'object' && 'webTemplate' in json && !('tree' in json)
      ? (json as { webTemplate: unknown }).webTemplate
      : json;
  const parsed = webTemplateSchema.safeParse(body);
  if (!parsed.success) {
    const where = expectedTemplateId ? ` of template '${expectedTemplateId}'` : '';
    const issue = parsed.error.issues[0];
    const detail = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown shape';
    throw new Error(`the web template${where} is not usable (${detail})`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Multi-valued nodes get a `:n` index in FLAT paths (docs/openehr-rest.md §7.2). */
export function isMultiValued(node: WebTemplateNode): boolean {
  return node.max !== undefined && (node.max === -1 || node.max > 1);
}

/** The name shown in column comments: the localized name in the template's default language. */
export function nodeLabel(node: WebTemplateNode, language?: string): string {
  return (language && node.localizedNames?.[language]) || node.localizedName || node.name || node.id;
}
