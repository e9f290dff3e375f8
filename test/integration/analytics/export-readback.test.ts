import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_MANIFEST } from '../../../sim/index.js';
import {
  type ExportFormat,
  type ExportManifest,
  exportViewsToFiles,
  silentExportProgress,
} from '../../../src/analytics/index.js';
import type { Store } from '../../../src/store/types.js';
import { generateViews } from '../../../src/views/index.js';
import { createTestDatabase } from '../../support/db.js';
import {
  DEMO,
  demoTemplates,
  FIXTURE_TEMPLATES,
  fixtureFlat,
  insertCompositions,
  openDeps,
  rawTextPool,
  startSim,
  type ViewsTestContext,
  viewsContext,
} from '../views/support.js';
import { type Duck, duckdb, fileRows, viewRows } from './readback.js';

/**
 * `atlas views export` read back with DuckDB (not the writer: Parquet and CSV are written with
 * hyparquet-writer and csv-stringify), every cell compared with the view as PostgreSQL prints it, on the
 * shared EHRbase fixtures and the demo templates, each composition stored in both forms.
 */
const db = await createTestDatabase();
const raw = rawTextPool(db.url);
let duck: Duck;
beforeAll(async () => {
  duck = await duckdb();
});
afterAll(() => duck.close());

const sets = [
  {
    name: 'shared EHRbase fixtures',
    dataDir: SHARED_FIXTURES_MANIFEST,
    templates: FIXTURE_TEMPLATES.map((t) => ({ templateId: t.templateId, flats: t.flats.map(fixtureFlat) })),
  },
  { name: 'demo templates', dataDir: join(DEMO, 'manifest.json'), templates: demoTemplates() },
];

describe.each(sets)('$name', ({ dataDir, templates }) => {
  let ctx: ViewsTestContext;
  let store: Store;
  const templateIds = templates.map((t) => t.templateId);

  beforeAll(async () => {
    const sim = await startSim({ dataDir });
    ctx = await viewsContext(sim, db.url);
    const deps = await openDeps(ctx);
    store = deps.store;
    for (const t of templates) {
      for (const flat of t.flats) {
        const ehrId = crypto.randomUUID();
        await insertCompositions(raw, [
          {
            templateId: t.templateId,
            flat,
            mode: 'preserve',
            ehrId,
            timeCommitted: '2025-03-01T10:00:00.123456Z',
          },
          { templateId: t.templateId, flat, mode: 'flatten', ehrId, timeCommitted: '2025-06-01T10:00:00Z' },
        ]);
      }
    }
    const outcomes = await generateViews(
      ctx,
      { db: store, client: deps.client },
      { templateIds, materialized: false, dryRun: false, pruneRemoved: false, cascade: false },
    );
    expect(outcomes.map((o) => o.status)).toEqual(templateIds.map(() => 'created'));
  });

  const exportTo = async (format: ExportFormat, since?: string) => {
    const out = mkdtempSync(join(tmpdir(), `atlas-analytics-${format}-`));
    const manifest = await exportViewsToFiles(ctx, store, {
      format,
      outDir: out,
      templateIds,
      ...(since ? { since } : {}),
      progress: silentExportProgress,
    });
    return { out, manifest };
  };

  it.each(['parquet', 'csv', 'duckdb'] as const)(
    '%s: every cell of every view reads back equal',
    async (format) => {
      const { out, manifest } = await exportTo(format);
      const onDisk = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
      expect(onDisk).toEqual(manifest);
      expect(new Set(manifest.views.map((v) => v.templateId))).toEqual(new Set(templateIds));
      let cells = 0;
      for (const view of manifest.views) {
        const expected = await viewRows(raw, view, format === 'duckdb' ? 'parts' : 'iso');
        const actual = await fileRows(duck, out, manifest, view);
        expect(actual, `${format} ${view.name}`).toEqual(expected);
        expect(view.rowCount).toBe(expected.length);
        expect(view.file).toBe(format === 'duckdb' ? 'views.duckdb' : `${view.name}.${format}`);
        cells += expected.length * view.schema.length;
      }
      expect(cells).toBeGreaterThan(0);
      // Checksums match the files; nothing else (no staging folder) is left behind.
      for (const f of manifest.files) {
        expect(
          createHash('sha256')
            .update(readFileSync(join(out, f.file)))
            .digest('hex'),
        ).toBe(f.sha256);
      }
      expect(readdirSync(out).sort()).toEqual([...manifest.files.map((f) => f.file), 'manifest.json'].sort());
    },
  );

  it('parquet: types are the documented logical types', async () => {
    const { out, manifest } = await exportTo('parquet');
    for (const view of manifest.views) {
      const types = await duck.describe(`SELECT * FROM read_parquet('${join(out, view.file)}')`);
      for (const col of view.schema) {
        const t = types.get(col.name)!;
        const want: Record<string, RegExp> = {
          text: /^VARCHAR$/,
          interval: /^VARCHAR$/,
          integer: /^INTEGER$/,
          bigint: /^BIGINT$/,
          boolean: /^BOOLEAN$/,
          date: /^DATE$/,
          time: /^TIME$/,
          timestamptz: /^TIMESTAMP WITH TIME ZONE$/,
          numeric: /^DECIMAL\(38,\d+\)$/,
          'int[]': /^INTEGER\[\]$/,
        };
        expect(t, `${view.name}.${col.name}`).toMatch(want[col.sqlType]!);
      }
    }
  });

  it('--since writes only rows of compositions committed after it, and the manifest says which', async () => {
    const since = '2025-04-01T00:00:00Z';
    const { out, manifest } = await exportTo('parquet', since);
    for (const view of manifest.views) {
      const where = `WHERE v.composition_id IN (SELECT id FROM compositions WHERE time_committed > '${since}')`;
      const expected = await viewRows(raw, view, 'iso', where);
      expect(await fileRows(duck, out, manifest, view)).toEqual(expected);
      expect(view.timeRange.since).toBe(since);
      expect(view.timeRange.from).toBe('2025-06-01T10:00:00.000000Z');
      expect(view.timeRange.to).toBe('2025-06-01T10:00:00.000000Z');
    }
    const full = await exportTo('parquet');
    const total = (m: ExportManifest) => m.views.reduce((n, v) => n + v.rowCount, 0);
    expect(total(manifest)).toBeGreaterThan(0);
    expect(total(manifest)).toBeLessThan(total(full.manifest));
    expect(full.manifest.views[0]!.timeRange.from).toBe('2025-03-01T10:00:00.123456Z');
  });

  // Only the demo set has the vital signs views the snippets read.
  if (templateIds.includes('vital_signs.v1'))
    it('the DuckDB snippets of docs/analytics.md run on the files', async () => {
      const { out } = await exportTo('parquet');
      const doc = readFileSync(join(process.cwd(), 'docs', 'analytics.md'), 'utf8');
      const section = doc.slice(doc.indexOf('### DuckDB'));
      const snippets = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(snippets.length).toBeGreaterThanOrEqual(3);
      for (const sql of snippets) {
        const rows = await duck.rows(sql.replaceAll("'exports/", `'${out}/`));
        expect(rows.length, sql).toBeGreaterThan(0);
      }
    });
});
