import type { MigrationReport, MigrationStatus, TableComparison } from './types.js';

/** Plain-text renderings of a migration report and status for the terminal (`atlas migrate`). */

export function formatReport(r: MigrationReport): string {
  const lines: string[] = [];
  if (r.steps.length === 0) {
    return `Schema "${r.schema}" is up to date (migration ${pad(r.fromVersion)}, the latest this Atlas ${r.atlasVersion} knows).\n`;
  }
  if (r.dryRun) {
    lines.push(
      `-- Dry run: nothing was executed. Schema "${r.schema}" is at migration ${pad(r.fromVersion)}; Atlas ${r.atlasVersion}`,
      '-- would run these steps, each in its own transaction:',
      '',
    );
    r.steps.forEach((s, i) => {
      lines.push(`-- ${i + 1}. ${s.description}`);
      for (const c of s.changes ?? []) lines.push(`--    * ${c.description}`);
      lines.push('BEGIN;', ...s.sql.map((q) => `${q};`), 'COMMIT;', '');
    });
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `Schema "${r.schema}": migration ${pad(r.fromVersion)} → ${pad(r.latestVersion)} (Atlas ${r.atlasVersion})`,
  );
  for (const s of r.steps) {
    lines.push(`  ✓ ${s.description}${s.durationMs === undefined ? '' : ` (${s.durationMs} ms)`}`);
    for (const c of s.changes ?? []) lines.push(`      - ${c.description}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatStatus(s: MigrationStatus): string {
  const lines = [`Atlas ${s.atlasVersion}, schema "${s.schema}": ${STATE_TEXT[s.state]}`, '', 'Migrations:'];
  for (const a of s.applied) {
    const how = a.adopted ? 'adopted' : 'applied';
    const drift = a.checksumMatches === false ? '  ✗ FILE CHANGED SINCE (checksum differs)' : '';
    const unknown = a.file === null ? '  ✗ unknown to this Atlas (newer database)' : '';
    lines.push(`  ✓ ${a.name.padEnd(40)} ${how} ${a.appliedAt} by Atlas ${a.atlasVersion}${drift}${unknown}`);
    if (a.note) lines.push(`      note: ${a.note}`);
  }
  for (const p of s.pending) lines.push(`  · ${p.file.padEnd(40)} pending`);
  if (s.applied.length === 0 && s.pending.length === 0) lines.push('  (none)');
  if (s.legacyChanges.some((c) => c.sql.length > 0) || s.legacyBlockers.length > 0) {
    lines.push(
      '',
      'Older layout found; `atlas migrate` will upgrade it in place (`atlas migrate --dry-run` shows the SQL):',
    );
    for (const c of s.legacyChanges) lines.push(`  - ${c.description}`);
    for (const b of s.legacyBlockers) lines.push(`  ✗ needs you: ${b}`);
  }
  lines.push('', 'Tables (expected vs actual):');
  for (const t of s.tables) lines.push(...formatTable(t));
  lines.push('', `Privileges of role "${s.privileges.user}":`);
  if (s.privileges.problems.length === 0) lines.push('  ✓ sufficient');
  else {
    for (const p of s.privileges.problems) lines.push(`  ✗ ${p}`);
    lines.push("  Run as the tables' owner or a superuser:", ...s.privileges.fixSql.map((q) => `    ${q}`));
  }
  return `${lines.join('\n')}\n`;
}

const STATE_TEXT: Record<MigrationStatus['state'], string> = {
  'up-to-date': 'up to date',
  pending: 'migrations pending (run `atlas migrate`)',
  empty: 'no Atlas tables yet (`atlas migrate` or the first export creates them)',
  legacy: 'older Atlas layout (run `atlas migrate --dry-run`, then `atlas migrate`)',
  newer: 'migrated by a newer Atlas: this version will not write to it',
  drift: 'applied migration files changed since (see below)',
  'no-access': 'this role may not read the Atlas tables (see privileges below)',
};

function formatTable(t: TableComparison): string[] {
  if (!t.exists) return [`  ✗ ${t.name}: missing`];
  const head = `  ${t.name}${t.owner ? ` (owner ${t.owner})` : ''}${t.presenceOnly ? ': present' : ''}`;
  if (t.presenceOnly) return [`${head.replace(/^ {2}/, '  ✓ ')}`];
  const out = [head];
  for (const c of t.columns) {
    if (c.status === 'ok') out.push(`    ✓ ${c.name} ${c.actual}`);
    else if (c.status === 'extra') out.push(`    + ${c.name} ${c.actual} (not Atlas's; kept)`);
    else if (c.status === 'missing') out.push(`    ✗ ${c.name} missing (expected ${c.expected})`);
    else out.push(`    ✗ ${c.name} ${c.actual} (expected ${c.expected})`);
  }
  for (const [label, items] of [
    ['constraint', t.constraints],
    ['index', t.indexes],
  ] as const) {
    for (const x of items) {
      const mark = x.status === 'ok' ? '✓' : x.status === 'extra' ? '+' : '✗';
      const detail =
        x.status === 'ok' || x.status === 'extra'
          ? ''
          : ` ${x.status} (expected ${x.expected}${x.actual ? `, found ${x.actual}` : ''})`;
      out.push(`    ${mark} ${label} ${x.name}${detail}`);
    }
  }
  return out;
}

function pad(n: number): string {
  return String(n).padStart(3, '0');
}
