import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchContext } from '../context.js';
import { distPath } from '../paths.js';
import { checkpoint, type FreshDatabase, withFreshDatabase } from '../postgres.js';
import type { ViewsResult } from '../results-types.js';
import { startBenchSim } from '../sim-process.js';
import { figureOf, ratioFigure } from '../stats.js';
import { expectedTemperatureEvents, loadVitalSigns, VIEWS_TEMPLATE } from '../views-data.js';

const run = promisify(execFile);
const MAIN = 'atlas_views.vital_signs_v1';
const REPEATING = 'atlas_views.vital_signs_v1__body_temperature__any_event';

/**
 * The queries compared, main view against repeating view. The aggregate is per patient in both: on the main
 * view the latest clinical start time (a typed data column), on the repeating view the mean temperature. The
 * outer count/sum/max reads every aggregate, so the planner cannot drop any of them.
 */
const QUERIES = {
  countMain: `SELECT count(*) FROM ${MAIN}`,
  countRepeating: `SELECT count(*) FROM ${REPEATING}`,
  aggregateMain: `SELECT count(*), sum(n), max(v) FROM (SELECT ehr_id, count(*) AS n, max(start_time) AS v FROM ${MAIN} GROUP BY ehr_id) AS s`,
  aggregateRepeating: `SELECT count(*), sum(n), max(v) FROM (SELECT ehr_id, count(*) AS n, avg(temperature_magnitude) AS v FROM ${REPEATING} GROUP BY ehr_id) AS s`,
};

async function timed(db: FreshDatabase, sql: string): Promise<{ ms: number; rows: unknown[] }> {
  const started = process.hrtime.bigint();
  const { rows } = await db.pool.query(sql);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows };
}

/** `atlas views generate` through the real CLI, against the simulator for the web template. */
async function generateViews(baseUrl: string, databaseUrl: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-views-'));
  try {
    const config = join(dir, 'atlas.toml');
    const q = (s: string) => JSON.stringify(s);
    writeFileSync(
      config,
      `database_target = "postgresql"\n[openehr]\nbase_url = ${q(baseUrl)}\n[postgresql]\nconnection_string = ${q(databaseUrl)}\n`,
    );
    const started = process.hrtime.bigint();
    await run(
      process.execPath,
      [distPath('src', 'cli', 'main.js'), 'views', 'generate', '-c', config, '--template-id', VIEWS_TEMPLATE],
      { maxBuffer: 16 << 20 },
    );
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Repeating views against the main view over `--compositions` vital-signs compositions (COPY-loaded): count(*)
 * and a per-patient aggregate on both, ratios run by run in the same database (target: within 3×). Also the
 * cost the occurrence tables move to the write path: building them (views generate), and writing 1% more
 * compositions, 1% new versions and 1% tombstones with the triggers on, against the same writes with them off.
 */
export async function repeatingViewsScenario(ctx: BenchContext): Promise<ViewsResult> {
  const { opts } = ctx;
  const n = opts.compositions;
  const sim = await startBenchSim({ compositions: 1, ehrs: 1, seed: opts.seed, templates: [VIEWS_TEMPLATE] });
  try {
    return await withFreshDatabase(ctx.server, async (db) => {
      ctx.log(`views: loading ${n} ${VIEWS_TEMPLATE} compositions with COPY`);
      await loadVitalSigns(db, n, opts.seed);
      ctx.log('views: atlas views generate');
      const generateSeconds = await generateViews(sim.baseUrl, db.url);
      await db.pool.query('VACUUM ANALYZE');
      await checkpoint(db);

      const times: Record<keyof typeof QUERIES, number[]> = {
        countMain: [],
        countRepeating: [],
        aggregateMain: [],
        aggregateRepeating: [],
      };
      const counts = { main: 0, repeating: 0 };
      for (const sql of Object.values(QUERIES)) await timed(db, sql); // warm the cache once
      for (let r = 0; r < opts.runs; r++) {
        ctx.log(`views: queries, run ${r + 1}/${opts.runs}`);
        for (const [name, sql] of Object.entries(QUERIES) as Array<[keyof typeof QUERIES, string]>) {
          const { ms, rows } = await timed(db, sql);
          times[name].push(ms);
          if (name === 'countMain') counts.main = Number((rows[0] as { count: string }).count);
          if (name === 'countRepeating') counts.repeating = Number((rows[0] as { count: string }).count);
        }
      }
      ctx.log('views: count(*) with the previous design (live key scan), once');
      const liveSql = await previousDesignSelect(db);
      const live = await timed(db, `SELECT count(*) FROM (${liveSql}) AS v`);
      const liveRows = Number((live.rows[0] as { count: string }).count);

      ctx.log('views: write cost with and without the occurrence-table triggers');
      const writes = await writeCost(db, Math.max(1, Math.round(n / 100)));
      return {
        compositions: n,
        mainRows: counts.main,
        repeatingRows: counts.repeating,
        expectedRepeatingRows: expectedTemperatureEvents(n),
        liveDesignRows: liveRows,
        generateSeconds,
        countMainMs: figureOf(times.countMain),
        countRepeatingMs: figureOf(times.countRepeating),
        countRatio: ratioFigure(times.countRepeating, times.countMain),
        aggregateMainMs: figureOf(times.aggregateMain),
        aggregateRepeatingMs: figureOf(times.aggregateRepeating),
        aggregateRatio: ratioFigure(times.aggregateRepeating, times.aggregateMain),
        liveDesignCountMs: live.ms,
        ...writes,
      };
    });
  } finally {
    await sim.close();
  }
}

/** The live SELECT the repeating view had before occurrence tables (recorded after the marker line). */
async function previousDesignSelect(db: FreshDatabase): Promise<string> {
  const { rows } = await db.pool.query<{ definition_sql: string }>(
    `SELECT definition_sql FROM view_definitions WHERE view_schema = 'atlas_views' AND view_name = $1`,
    [REPEATING.split('.')[1]],
  );
  const sql = rows[0]?.definition_sql ?? '';
  const marker = '\n-- rows maintained from:\n';
  if (!sql.includes(marker))
    throw new Error('views: the repeating view is not backed by an occurrence table');
  return sql.slice(sql.indexOf(marker) + marker.length);
}

/**
 * Milliseconds for `k` inserted compositions (copies of stored ones under new ids), `k` new versions and `k`
 * tombstones, with the triggers on and with them off (ALTER TABLE … DISABLE TRIGGER USER), each in its own
 * transaction; the rows written with the triggers off are removed again with them off.
 */
async function writeCost(db: FreshDatabase, k: number) {
  const once = async (tag: string) => {
    const ins = await timed(
      db,
      `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version, checksum)
       SELECT '${tag}-' || id, ehr_id, '${tag}-' || composition_uid, template_id, time_committed, content, export_mode, 'bench-write', checksum
         FROM compositions WHERE atlas_version = 'bench' ORDER BY id LIMIT ${k}`,
    );
    const upd = await timed(
      db,
      `UPDATE compositions SET composition_uid = composition_uid || '.2' WHERE id LIKE '${tag}-%'`,
    );
    const del = await timed(db, `UPDATE compositions SET deleted_at = now() WHERE id LIKE '${tag}-%'`);
    await db.pool.query(`DELETE FROM compositions WHERE id LIKE '${tag}-%'`);
    return { ins: ins.ms, upd: upd.ms, del: del.ms };
  };
  const on = await once('on');
  await db.pool.query('ALTER TABLE compositions DISABLE TRIGGER USER');
  let off: Awaited<ReturnType<typeof once>>;
  try {
    off = await once('off');
  } finally {
    await db.pool.query('ALTER TABLE compositions ENABLE TRIGGER USER');
  }
  return {
    writtenCompositions: k,
    insertMs: { withTriggers: on.ins, without: off.ins },
    newVersionMs: { withTriggers: on.upd, without: off.upd },
    tombstoneMs: { withTriggers: on.del, without: off.del },
  };
}
