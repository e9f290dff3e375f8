import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atlas } from './cli-process.js';

/** A small demo run into a fresh directory: a real embedded database with exported compositions. */
export async function smallDemoDatabase(): Promise<{
  cwd: string;
  dir: string;
  counts: Record<string, number>;
}> {
  const cwd = mkdtempSync(join(tmpdir(), 'atlas-e2e-db-'));
  const dir = join(cwd, 'demo-db');
  const r = await atlas(['demo', '--ehrs', '8', '--compositions', '48', '--data-dir', dir, '--json'], {
    cwd,
  });
  if (r.code !== 0) throw new Error(`atlas demo failed (${r.code}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as {
    summary: { templates: Array<{ templateId: string; counts: { inserted: number } }> };
  };
  const counts = Object.fromEntries(report.summary.templates.map((t) => [t.templateId, t.counts.inserted]));
  return { cwd, dir, counts };
}
