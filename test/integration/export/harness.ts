import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type pg from 'pg';
import pino from 'pino';
import {
  SHARED_FIXTURES_DIR,
  SHARED_FIXTURES_MANIFEST,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../../sim/index.js';
import { exportCompositions, planExport } from '../../../src/app/export.js';
import { type ConfigFlags, loadConfig } from '../../../src/config/index.js';
import type { AppContext } from '../../../src/context.js';
import { type ExportSummary, silentProgress, type TemplateCounts } from '../../../src/export/types.js';

/**
 * A simulator serving the real EHRbase fixtures (../shared/openehr-fixtures) when they are beside the
 * repository, the shipped demo data otherwise; the sim clock stands still unless a test moves it.
 */
export function startSim(opts: SimulatorOptions): Promise<Simulator> {
  const dataDir = existsSync(SHARED_FIXTURES_DIR) ? SHARED_FIXTURES_MANIFEST : undefined;
  return startSimulator({ clockTicking: false, ...(dataDir ? { dataDir } : {}), ...opts });
}

/** TOML for a run against the simulator and a test database; `extra` is appended (more sections/keys). */
export function tomlFor(
  sim: Simulator,
  dbUrl: string,
  templateIds: string[],
  extra = '',
  authToml?: string,
): string {
  const auth =
    authToml ??
    (sim.auth === 'basic'
      ? `auth_type = "basic"\nusername = "${sim.credentials.username}"\npassword = "${sim.credentials.password}"`
      : sim.auth === 'bearer'
        ? `auth_type = "bearer"\nbearer_token = "${sim.credentials.bearerToken}"`
        : 'auth_type = "none"');
  return `database_target = "postgresql"

[openehr]
base_url = "${sim.baseUrl}"
vendor = "${sim.flavour}"
${auth}
timeout_seconds = 10

[openehr.retry]
max_retries = 6
initial_delay_ms = 1
max_delay_ms = 40

[openehr.query]
template_ids = ${JSON.stringify(templateIds)}
batch_size = 100
parallel_ehrs = 8

[postgresql]
connection_string = "${dbUrl}"

[export]
retry_backoff_ms = [10, 20]
shutdown_timeout_secs = 5

${extra}
`;
}

export interface Captured {
  logs: string[];
}

/** A context from a TOML text and flags, exactly as the CLI loads it; logs are captured (JSON lines). */
export async function contextFor(
  toml: string,
  flags: ConfigFlags = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<AppContext & Captured> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-export-'));
  const file = join(dir, 'atlas.toml');
  writeFileSync(file, toml);
  const { config } = await loadConfig({ configPath: file, env: {}, cwd: dir, flags, stderrIsTty: false });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  return { config, logger: pino({ level: 'debug' }, sink), signal, logs };
}

export async function runExport(
  toml: string,
  opts: { flags?: ConfigFlags; reconcile?: boolean; signal?: AbortSignal } = {},
): Promise<ExportSummary & Captured> {
  const ctx = await contextFor(toml, opts.flags, opts.signal);
  const summary = await exportCompositions(ctx, planExport(ctx, { reconcile: opts.reconcile ?? false }), {
    progress: silentProgress,
  });
  return { ...summary, logs: ctx.logs };
}

export interface StoredRow {
  id: string;
  ehr_id: string;
  composition_uid: string;
  template_id: string;
  content: Record<string, unknown>;
  checksum: string;
  deleted: boolean;
}

export async function storedRows(pool: pg.Pool, templateId?: string): Promise<Map<string, StoredRow>> {
  const { rows } = await pool.query<StoredRow>(
    `SELECT id, ehr_id, composition_uid, template_id, content, checksum, deleted_at IS NOT NULL AS deleted
       FROM compositions WHERE $1::text IS NULL OR template_id = $1`,
    [templateId ?? null],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Exact equality of target and source: every live composition of the templates is stored once, at its
 * latest version, with the simulator's FLAT as content; nothing else is stored as live.
 */
export async function expectExactEquality(
  sim: Simulator,
  pool: pg.Pool,
  templateIds: string[],
  expect: typeof import('vitest').expect,
): Promise<number> {
  let total = 0;
  for (const templateId of templateIds) {
    const rows = await storedRows(pool, templateId);
    const live = [...sim.control.liveCompositions(templateId)];
    const liveRows = [...rows.values()].filter((r) => !r.deleted);
    expect(liveRows.length, `live rows of ${templateId}`).toBe(live.length);
    for (const c of live) {
      const row = rows.get(c.objectId);
      expect(row, `row for ${c.uid}`).toBeDefined();
      expect(row?.composition_uid).toBe(c.uid);
      expect(row?.ehr_id).toBe(c.ehrId);
      expect(row?.deleted).toBe(false);
      expect(row?.content).toEqual(sim.control.getFlat(c.uid));
    }
    total += live.length;
  }
  const dup = await pool.query('SELECT composition_uid FROM compositions GROUP BY 1 HAVING count(*) > 1');
  expect(dup.rowCount).toBe(0);
  return total;
}

/** A count added up over the summary's templates. */
export function sumCounts(summary: ExportSummary, key: keyof TemplateCounts): number {
  return summary.templates.reduce((n, t) => n + t.counts[key], 0);
}
