/**
 * Data container names, exactly as the original Atlas derived them (so an existing deployment's containers
 * are found again): the template id lower-cased, every character that is not a letter, digit (any script)
 * or `_` replaced by `_`, runs of `_` collapsed, leading and trailing `_` trimmed; then `{prefix}_{name}`,
 * or just the name when the prefix is empty. Example: "IDCR - Lab Report.v1" → "compositions_idcr_lab_report_v1".
 */
export function sanitiseTemplateId(templateId: string): string {
  return templateId
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

export function containerNameFor(prefix: string, templateId: string): string {
  const name = sanitiseTemplateId(templateId);
  return prefix === '' ? name : `${prefix}_${name}`;
}

export interface ContainerCollision {
  container: string;
  templateIds: string[];
}

/**
 * Templates whose sanitised names are equal ("A.v1" and "a-v1" both give "a_v1"), or empty ("---"): the
 * original silently wrote such templates into one container; Atlas refuses them.
 */
export function containerNameCollisions(
  prefix: string,
  templateIds: readonly string[],
): ContainerCollision[] {
  const byName = new Map<string, string[]>();
  for (const t of new Set(templateIds)) {
    const name = containerNameFor(prefix, t);
    byName.set(name, [...(byName.get(name) ?? []), t]);
  }
  const collisions: ContainerCollision[] = [];
  for (const [container, ids] of byName) {
    if (ids.length > 1 || sanitiseTemplateId(ids[0]!) === '')
      collisions.push({ container, templateIds: ids });
  }
  return collisions;
}
