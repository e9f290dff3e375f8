import { ConfigError } from '../errors.js';
import type { AtlasConfig } from './types.js';

/**
 * For commands that export: at least one template must be configured. Loading allows an empty list
 * (`--template-id` may supply it, and `status`/`migrate` need none), so the check is the command's.
 */
export function requireTemplateIds(config: AtlasConfig): string[] {
  const ids = config.openehr.query.templateIds;
  if (ids.length === 0) {
    throw new ConfigError(
      'openehr.query.template_ids = []: an export needs at least one template; allowed: a non-empty list ' +
        '(set it in [openehr.query], ATLAS_OPENEHR_QUERY_TEMPLATE_IDS or --template-id)',
    );
  }
  return ids;
}
