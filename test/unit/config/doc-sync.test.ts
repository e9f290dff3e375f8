import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDoc } from '../../../src/config/doc.js';
import { CONFIG_KEYS, requireTemplateIds } from '../../../src/config/index.js';
import { load, MINIMAL } from './helpers.js';

/** Table padding is the formatter's business (`npm run docs:config` runs biome format on the file). */
function unpadded(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|') ? line.replace(/ *\| */g, '|').replace(/\|-+(?=\|)/g, '|---') : line,
    )
    .join('\n');
}

describe('docs/configuration.md', () => {
  const doc = readFileSync(join(process.cwd(), 'docs', 'configuration.md'), 'utf8');

  it('is exactly what CONFIG_KEYS generates (run `npm run docs:config` after changing a key)', () => {
    expect(unpadded(doc)).toBe(unpadded(renderConfigurationDoc()));
  });

  it('lists every key, alias and variable', () => {
    for (const key of CONFIG_KEYS) {
      for (const alias of key.aliases) expect(doc).toContain(`\`${alias}\` (alias)`);
      for (const name of key.env) expect(doc).toContain(`\`${name}\``);
    }
  });
});

describe('requireTemplateIds', () => {
  it('returns the templates, or names the key, the variable and the flag when there is none', async () => {
    const withIds = await load(`${MINIMAL}[openehr.query]\ntemplate_ids = ["a.v1"]\n`);
    expect(requireTemplateIds(withIds.config)).toEqual(['a.v1']);
    const without = await load(MINIMAL);
    expect(() => requireTemplateIds(without.config)).toThrow(
      /openehr\.query\.template_ids = \[\].*allowed: a non-empty list.*ATLAS_OPENEHR_QUERY_TEMPLATE_IDS or --template-id/,
    );
  });
});
