import { collectDataPoints, type OccurrenceGroup, pathPattern } from './data-points.js';
import { claimUnique } from './identifiers.js';
import { attributeColumnName, dataPointBaseNames, indexColumnNames, viewBaseName } from './naming.js';
import type { TemplateViews, ViewColumn, ViewModel, WebTemplate } from './types.js';

/** Columns every main view starts with, in this order. */
export const MAIN_META_COLUMNS = ['composition_id', 'ehr_id', 'composition_uid', 'time_committed'] as const;
/** Columns every repeating view starts with, before its index columns. */
export const REPEATING_META_COLUMNS = ['composition_id', 'ehr_id', 'index_path'] as const;

/**
 * The views of one template: the main view (one row per composition, every single-occurrence data point)
 * and one view per repeating node that has data (one row per occurrence). `takenViewNames` are names other
 * templates already use in the views schema; the new names avoid them.
 */
export function buildTemplateViews(
  template: WebTemplate,
  takenViewNames: Set<string> = new Set(),
): TemplateViews {
  const taken = new Set(takenViewNames);
  const views = collectDataPoints(template).map((group, i) =>
    buildView(template.templateId, group, i === 0 ? 'main' : 'repeating', taken),
  );
  return { templateId: template.templateId, rootId: template.tree.id, views };
}

function buildView(
  templateId: string,
  group: OccurrenceGroup,
  kind: 'main' | 'repeating',
  takenViewNames: Set<string>,
): ViewModel {
  const name = claimUnique(viewBaseName(templateId, kind === 'main' ? [] : group.segments), takenViewNames);
  const columnNames = new Set<string>(kind === 'main' ? MAIN_META_COLUMNS : REPEATING_META_COLUMNS);
  const indexColumns = kind === 'main' ? [] : indexColumnNames(group.segments, columnNames);
  const nodePath = kind === 'main' ? '' : pathPattern(group.segments);
  const viewDepth = kind === 'main' ? 1 : group.segments.length;
  const baseNames = dataPointBaseNames(group.points, viewDepth);
  const columns: ViewColumn[] = [];
  group.points.forEach((point, i) => {
    const pointPath = pathPattern(point.segments);
    for (const attr of point.attributes) {
      const path = attr.suffix === '' ? pointPath : `${pointPath}|${attr.suffix}`;
      const column: ViewColumn = {
        name: claimUnique(attributeColumnName(baseNames[i]!, attr.namePart), columnNames),
        path,
        relativePath: path.slice(nodePath.length),
        rmType: point.rmType,
        sqlType: attr.sqlType,
        label: attr.suffix === '' ? point.label : `${point.label} (${attr.suffix})`,
      };
      if (attr.alternatives) column.alternatives = [...attr.alternatives];
      columns.push(column);
    }
  });
  return { name, kind, nodePath, indexColumns, segments: group.segments, label: group.label, columns };
}
