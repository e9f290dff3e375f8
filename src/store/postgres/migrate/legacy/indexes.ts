import { tableSpec } from '../expected-schema.js';
import type { LegacyChange } from '../types.js';
import { type LegacyCheck, q } from './model.js';

/**
 * The seed's indexes. An index with the same definition under another name (the original's manual schema had
 * idx_compositions_composite and idx_compositions_content_gin) is renamed rather than built twice; a missing
 * one is created. Other indexes are left alone.
 */
export const ensureIndexes: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const table of ctx.tables.values()) {
    const specs = tableSpec(table.name)?.indexes.filter((i) => i.since === 1) ?? [];
    const expectedNames = new Set(specs.map((s) => s.name));
    for (const spec of specs) {
      if (table.indexes.some((i) => i.name === spec.name)) continue;
      const twin = table.indexes.find(
        (i) => !i.constraintBacked && !expectedNames.has(i.name) && i.shape === spec.shape,
      );
      if (twin) {
        changes.push({
          check: 'rename-index',
          description: `${table.name}: rename index ${twin.name} to ${spec.name} (same definition: ${spec.shape})`,
          sql: [`ALTER INDEX ${q(twin.name)} RENAME TO ${q(spec.name)}`],
        });
        twin.name = spec.name;
        continue;
      }
      changes.push({
        check: 'add-index',
        description: `${table.name}: create missing index ${spec.name} (${spec.shape})`,
        sql: [`CREATE INDEX IF NOT EXISTS ${q(spec.name)} ON ${q(table.name)} USING ${spec.shape}`],
      });
      table.indexes.push({ name: spec.name, shape: spec.shape, constraintBacked: false });
    }
  }
  return changes;
};
