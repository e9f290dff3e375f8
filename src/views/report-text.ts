import type { ViewChange } from './evolution.js';
import type { FailedOutcome, TemplateOutcome } from './generate.js';
import type { DropResult, ListedView } from './manage.js';

/** Human-readable report of `atlas views generate` (the SQL comes separately on a dry run). */
export function formatGenerate(outcomes: Array<TemplateOutcome | FailedOutcome>): string {
  if (outcomes.length === 0)
    return 'No templates: export compositions first, or name templates with --template-id.\n';
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'failed') {
      lines.push(`${o.templateId}: FAILED — ${o.error}`);
      continue;
    }
    const acted = o.views.filter((v) => v.action !== 'unchanged');
    const cache = o.source === 'cache' ? ' (cached web template: server unreachable)' : '';
    lines.push(
      `${o.templateId}: ${o.status}, ${o.views.length} view(s)${acted.length ? `, ${acted.length} to write` : ''}${cache}`,
    );
    for (const v of acted) lines.push(`  ${v.action.padEnd(9)} ${v.name}`);
    for (const c of o.changes) lines.push(`  ${describeChange(c)}`);
    if (o.droppedDependents.length) lines.push(`  dropped with --cascade: ${o.droppedDependents.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function describeChange(c: ViewChange): string {
  const where = c.column ? `${c.view}.${c.column}` : c.view;
  const path = c.path ? ` (${c.path})` : '';
  switch (c.change) {
    case 'retyped':
      return `retyped   ${where}: ${c.from} → ${c.to}${path}`;
    case 'removed':
      return `removed   ${where}${path}: kept, NULL, until --prune-removed`;
    case 'view removed':
      return `removed   ${where}: node gone from the template; view kept, empty, until --prune-removed`;
    default:
      return `${c.change.replace('view ', '').padEnd(9)} ${where}${path}`;
  }
}

export function formatList(views: ListedView[]): string {
  if (views.length === 0) return 'No views generated yet (atlas views generate).\n';
  const lines = views.map((v) => {
    const flags = [
      v.materialized ? 'materialized' : 'view',
      v.exists ? '' : 'MISSING',
      v.removed ? 'node removed' : '',
      v.removedColumns ? `${v.removedColumns} removed column(s)` : '',
    ].filter(Boolean);
    return `${v.templateId}\t${v.schema}.${v.name}\t${v.columns} column(s)\t${flags.join(', ')}`;
  });
  return `${['template\tview\tcolumns\tnotes', ...lines].join('\n')}\n`;
}

export function formatDrop(result: DropResult, dryRun: boolean): string {
  if (result.dropped.length === 0) return 'No generated views to drop.\n';
  const verb = dryRun ? 'Would drop' : 'Dropped';
  const extra = result.droppedDependents.length
    ? `\nand, with --cascade: ${result.droppedDependents.join(', ')}`
    : '';
  return `${verb} ${result.dropped.length} view(s): ${result.dropped.join(', ')}${extra}\n`;
}
