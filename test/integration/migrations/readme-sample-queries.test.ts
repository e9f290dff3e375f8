import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../src/store/postgres/migrate/files.js';
import { flattenComposition } from '../../../src/transform/flatten.js';
import { createTestDatabase } from '../../support/db.js';
import { insertRows } from './legacy-fixtures.js';

const readme = readFileSync(join(migrationsDir(), 'README.md'), 'utf8');

const sqlBlocks = (text: string): string[] =>
  [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());

/** The ```sql blocks between <!-- sample-queries --> and <!-- /sample-queries --> (what `atlas demo` runs). */
function sampleQueries(text: string): string[] {
  const blocks = [...text.matchAll(/<!-- sample-queries -->([\s\S]*?)<!-- \/sample-queries -->/g)].map(
    (m) => m[1] ?? '',
  );
  return blocks.flatMap(sqlBlocks);
}

/** Every ```sql block of the "Sample queries" section, the marked ones and the further examples. */
function sectionQueries(text: string): string[] {
  const start = text.indexOf('## Sample queries');
  const end = text.indexOf('\n## ', start + 1);
  return sqlBlocks(text.slice(start, end));
}

const demoFlat = (name: string) =>
  JSON.parse(
    readFileSync(join(process.cwd(), 'sim', 'data', 'demo', 'compositions', 'flat', name), 'utf8'),
  ) as Record<string, unknown>;
const sharedFlat = (name: string) =>
  JSON.parse(
    readFileSync(
      join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'compositions', 'flat', name),
      'utf8',
    ),
  ) as Record<string, unknown>;

describe('migrations/README.md sample queries on FLAT content', async () => {
  const db = await createTestDatabase();
  const row = (
    id: string,
    ehr: string,
    template: string,
    mode: string,
    content: Record<string, unknown>,
    t: string,
  ) => ({
    id,
    ehr_id: ehr,
    composition_uid: `${id}::ehrbase.org::1`,
    template_id: template,
    time_committed: t,
    content: JSON.stringify(content),
    export_mode: mode,
    atlas_version: 'test',
    checksum: 'x',
  });
  const vitals2 = demoFlat('vital_signs_2.json');
  await insertRows(db.pool, 'compositions', [
    row(
      '7e000000-0000-4000-8000-000000000001',
      'ehr-a',
      'vital_signs.v1',
      'preserve',
      demoFlat('vital_signs_1.json'),
      '2024-05-01T10:00:00Z',
    ),
    row(
      '7e000000-0000-4000-8000-000000000002',
      'ehr-a',
      'vital_signs.v1',
      'preserve',
      vitals2,
      '2024-05-02T10:00:00Z',
    ),
    row(
      '7e000000-0000-4000-8000-000000000003',
      'ehr-b',
      'vital_signs.v1',
      'flatten',
      flattenComposition(vitals2),
      '2024-05-03T10:00:00Z',
    ),
    row(
      '7e000000-0000-4000-8000-000000000004',
      'ehr-a',
      'lab_results.v1',
      'preserve',
      demoFlat('lab_results_1.json'),
      '2024-05-04T10:00:00Z',
    ),
    row(
      '7e000000-0000-4000-8000-000000000005',
      'ehr-a',
      'problem_list.v1',
      'preserve',
      demoFlat('problem_list_1.json'),
      '2024-05-05T10:00:00Z',
    ),
    row(
      '93a018f1-ad95-4d52-bb8f-0f64d7f7cce6',
      'ehr-c',
      'Corona_Anamnese',
      'preserve',
      sharedFlat('corona.json'),
      '2024-05-06T10:00:00Z',
    ),
    row(
      '0b5c1e8a-0000-4000-8000-000000000001',
      'ehr-c',
      'ehrbase_multi_occurrence.de.v1',
      'preserve',
      sharedFlat('multi_occurrence.json'),
      '2024-05-07T10:00:00Z',
    ),
  ]);
  await db.pool.query(
    `INSERT INTO watermarks (id, template_id, ehr_id, last_exported_timestamp, last_export_started_at, last_export_status, compositions_exported_count)
     VALUES ('vital_signs.v1::ehr-a', 'vital_signs.v1', 'ehr-a', now(), now(), 'completed', 2)`,
  );
  await db.pool.query(
    `INSERT INTO export_runs (mode, template_ids, atlas_version) VALUES ('full', ARRAY['vital_signs.v1'], 'test')`,
  );
  const queries = sampleQueries(readme);
  const all = sectionQueries(readme);
  const find = (list: string[], ...parts: string[]) => {
    const q = list.find((s) => parts.every((p) => s.includes(p)));
    if (!q) throw new Error(`no sample query containing ${parts.join(' + ')}`);
    return q;
  };

  it('the README marks its sample queries, one ```sql block each, without ctx/ keys', () => {
    expect(queries.length).toBeGreaterThanOrEqual(8);
    expect(all.length).toBeGreaterThan(queries.length);
    for (const q of all) expect(q).not.toContain('ctx/');
  });

  it('every marked query returns rows on demo-template content (what `atlas demo` prints)', async () => {
    for (const q of queries) {
      const { rows } = await db.pool.query(q);
      expect(rows.length, q).toBeGreaterThan(0);
    }
  });

  it('every query of the section runs', async () => {
    for (const q of all) await expect(db.pool.query(q), q).resolves.toBeDefined();
  });

  it('the preserve and flatten temperature queries read the same values from the two storage forms', async () => {
    const p = await db.pool.query(
      find(queries, "export_mode = 'preserve'", 'vital_signs/body_temperature:0'),
    );
    const f = await db.pool.query(
      find(all, "export_mode = 'flatten'", 'vital_signs/body_temperature/any_event'),
    );
    const values = (rows: Record<string, unknown>[]) =>
      rows.map((r) => [
        r.ehr_id,
        Number(r.first_event),
        r.second_event === null ? null : Number(r.second_event),
        r.unit,
      ]);
    expect(values(p.rows)).toEqual([
      ['ehr-a', 38.6, 38.1, '°C'],
      ['ehr-a', 37.2, null, '°C'],
    ]);
    expect(values(f.rows)).toEqual([['ehr-b', 38.6, 38.1, '°C']]);
  });

  it('the blood-pressure, laboratory and containment queries read the demo values', async () => {
    const bp = await db.pool.query(find(queries, 'avg_systolic'));
    expect(bp.rows.map((r) => [r.ehr_id, Number(r.readings), Number(r.max_systolic)])).toEqual([
      ['ehr-a', 2, 141], // the flatten row of ehr-b has other keys
    ]);
    const lab = await db.pool.query(find(queries, 'lab_results/context/start_time'));
    expect(
      lab.rows.map((r) => [
        new Date(r.start_time).toISOString(),
        r.test,
        r.analyte,
        Number(r.result),
        r.unit,
      ]),
    ).toEqual([['2024-04-02T07:30:00.000Z', 'Full blood count', 'Haemoglobin', 13.8, 'g/dL']]);
    const problems = await db.pool.query(find(queries, '@>'));
    expect([Number(problems.rows[0].problem_lists), Number(problems.rows[0].patients)]).toEqual([1, 1]);
  });

  it('the examples on real EHRbase output find their compositions', async () => {
    const multi = await db.pool.query(find(all, 'encounter/body_temperature:0'));
    expect(multi.rows.map((r) => [r.ehr_id, Number(r.first_event), Number(r.second_event), r.unit])).toEqual([
      ['ehr-c', 22, 11, 'Cel'],
    ]);
    const corona = await db.pool.query(find(all, 'bericht/context/start_time'));
    expect(
      corona.rows.map((r) => [new Date(r.start_time).toISOString(), Number(r.temperature), r.unit, r.cough]),
    ).toEqual([['2020-05-11T20:53:12.039Z', 39, '°C', true]]);
  });
});
