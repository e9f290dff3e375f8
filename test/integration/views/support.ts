import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../../sim/index.js';
import { loadConfig } from '../../../src/config/index.js';
import type { AppContext } from '../../../src/context.js';
import { createOpenEhrClient } from '../../../src/openehr/index.js';
import type { OpenEhrClient } from '../../../src/openehr/types.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/types.js';
import { transformComposition } from '../../../src/transform/index.js';

export const FIXTURES = join(process.cwd(), '..', 'shared', 'openehr-fixtures');
export const DEMO = join(process.cwd(), 'sim', 'data', 'demo');

/** Which FLAT files belong to which template (SOURCES.md: a FLAT file carries no template id). */
export const FIXTURE_TEMPLATES = [
  {
    templateId: 'AlternativeEvents',
    webTemplate: 'AlternativeEvents.json',
    flats: ['AlternativeEvents.json'],
  },
  {
    templateId: 'Corona_Anamnese',
    webTemplate: 'corona_anamnese.json',
    flats: ['corona.json', 'corona_with_context.json'],
  },
  {
    templateId: 'ehrbase_multi_occurrence.de.v1',
    webTemplate: 'multi_occurrence.json',
    flats: ['multi_occurrence.json'],
  },
  { templateId: 'test_all_types.en.v1', webTemplate: 'test_all_types.json', flats: ['test_all_types.json'] },
] as const;

/** The demo templates of the simulator, with their FLAT prototypes. */
export function demoTemplates(): Array<{ templateId: string; flats: Array<Record<string, unknown>> }> {
  const manifest = JSON.parse(readFileSync(join(DEMO, 'manifest.json'), 'utf8')) as {
    templates: Array<{ templateId: string; prototypes: Array<{ flat: string }> }>;
  };
  return manifest.templates.map((t) => ({
    templateId: t.templateId,
    flats: t.prototypes.map((p) => readJson(join(DEMO, p.flat))),
  }));
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function fixtureFlat(name: string): Record<string, unknown> {
  return readJson(join(FIXTURES, 'compositions', 'flat', name));
}

/** A simulator on loopback, clock still; small population (the views tests insert their own rows). */
export async function startSim(opts: SimulatorOptions): Promise<Simulator> {
  const sim = await startSimulator({ clockTicking: false, ehrs: 1, compositions: 1, ...opts });
  afterAll(() => sim.close());
  return sim;
}

/**
 * A simulator serving these web templates (`templateId` → web template JSON) from a temporary manifest: how
 * a test changes a template on the "server". The simulator needs one prototype composition per data set;
 * the multi_occurrence fixture serves as that.
 */
export function startSimWithWebTemplates(templates: Record<string, unknown>): Promise<Simulator> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-views-wt-'));
  const entries = Object.entries(templates).map(([templateId, wt], i) => {
    const file = join(dir, `wt${i}.json`);
    writeFileSync(file, JSON.stringify(wt));
    return { templateId, webTemplate: file, prototypes: i === 0 ? [MULTI_OCCURRENCE_PROTOTYPE] : [] };
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ baseDir: FIXTURES, templates: entries }));
  return startSim({ dataDir: dir, templates: [entries[0]!.templateId] });
}

const MULTI_OCCURRENCE_PROTOTYPE = {
  flat: 'compositions/flat/multi_occurrence.json',
  canonical: 'compositions/canonical/multi_occurrence.json',
};

export interface ViewsTestContext extends AppContext {
  logs: string[];
}

/**
 * A context loaded from TOML exactly as the CLI loads it, logs captured as JSON lines. `db` is a
 * PostgreSQL URL, or `{ embedded: dir }` for the embedded database.
 */
export async function viewsContext(
  sim: Simulator,
  db: string | { embedded: string },
  extra = '',
): Promise<ViewsTestContext> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-views-'));
  const file = join(dir, 'atlas.toml');
  const target =
    typeof db === 'string'
      ? `[postgresql]\nconnection_string = "${db}"`
      : `[embedded]\npath = "${db.embedded}"`;
  writeFileSync(
    file,
    `database_target = "${typeof db === 'string' ? 'postgresql' : 'embedded'}"

[openehr]
base_url = "${sim.baseUrl}"
vendor = "${sim.flavour}"
auth_type = "none"
timeout_seconds = 10

[openehr.retry]
max_retries = 1
initial_delay_ms = 1
max_delay_ms = 5

${target}

${extra}
`,
  );
  const { config } = await loadConfig({ configPath: file, env: {}, cwd: dir, flags: {}, stderrIsTty: false });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  return { config, logger: pino({ level: 'debug' }, sink), signal: new AbortController().signal, logs };
}

/** The real store and client for a context, closed after the file. */
export async function openDeps(ctx: AppContext): Promise<{ store: Store; client: OpenEhrClient }> {
  const store = await openStore(ctx);
  const client = createOpenEhrClient(ctx);
  afterAll(async () => {
    await client.close();
    await store.close();
  });
  return { store, client };
}

export interface InsertedRow {
  id: string;
  ehrId: string;
  templateId: string;
  mode: 'preserve' | 'flatten';
  flat: Record<string, unknown>;
}

/** Stores FLAT compositions as the exporter would (content through the export's own transform). */
export async function insertCompositions(
  pool: pg.Pool,
  rows: Array<{
    templateId: string;
    flat: Record<string, unknown>;
    mode: 'preserve' | 'flatten';
    ehrId?: string;
    timeCommitted?: string;
  }>,
): Promise<InsertedRow[]> {
  const out: InsertedRow[] = [];
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const r of rows) {
    const id = randomUUID();
    const ehrId = r.ehrId ?? randomUUID();
    const t = transformComposition(r.flat, r.mode);
    const n = values.length;
    tuples.push(
      `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}::jsonb, $${n + 7}, 'test', $${n + 8})`,
    );
    values.push(
      id,
      ehrId,
      `${id}::test::1`,
      r.templateId,
      r.timeCommitted ?? new Date().toISOString(),
      t.json,
      r.mode,
      t.checksum,
    );
    out.push({ id, ehrId, templateId: r.templateId, mode: r.mode, flat: r.flat });
  }
  if (tuples.length > 0) {
    await pool.query(
      `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version, checksum)
       VALUES ${tuples.join(', ')}`,
      values,
    );
  }
  return out;
}

/**
 * A pool that returns every value as PostgreSQL's text (no driver conversion), in UTC with ISO 8601
 * intervals, so tests compare exact values (microseconds, interval fields) themselves.
 */
export function rawTextPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    options: '-c TimeZone=UTC -c IntervalStyle=iso_8601 -c DateStyle=ISO',
    types: { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig,
  });
  afterAll(() => pool.end());
  return pool;
}
