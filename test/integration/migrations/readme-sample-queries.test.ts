import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../src/store/postgres/migrate/files.js';
import { flattenComposition } from '../../../src/transform/flatten.js';
import { createTestDatabase } from '../../support/db.js';
import { insertRows } from './legacy-fixtures.js';

const readme = readFileSync(join(migrationsDir(), 'README.md'), 'utf8');

/** The ```sql blocks between <!-- sample-queries --> and <!-- /sample-queries --> (what the demo runs). */
function sampleQueries(text: string): string[] {
  const blocks = [...text.matchAll(/<!-- sample-queries -->([\s\S]*?)<!-- \/sample-queries -->/g)].map(
    (m) => m[1] ?? '',
  );
  return blocks.flatMap((b) => [...b.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim()));
}

const flat = (name: string) =>
  JSON.parse(
    readFileSync(
      join(process.cwd(), '..', 'shared', 'openehr-fixtures', 'compositions', 'flat', name),
      'utf8',
    ),
  ) as Record<string, unknown>;

describe('migrations/README.md sample queries on real EHRbase FLAT content', async () => {
  const db = await createTestDatabase();
  const corona = flat('corona.json');
  const multi = flat('multi_occurrence.json');
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
  await insertRows(db.pool, 'compositions', [
    row(
      '93a018f1-ad95-4d52-bb8f-0f64d7f7cce6',
      'ehr-a',
      'Corona_Anamnese',
      'preserve',
      corona,
      '2024-05-01T10:00:00Z',
    ),
    row(
      '0b5c1e8a-0000-4000-8000-000000000001',
      'ehr-a',
      'ehrbase_multi_occurrence.de.v1',
      'preserve',
      multi,
      '2024-05-02T10:00:00Z',
    ),
    row(
      '0b5c1e8a-0000-4000-8000-000000000002',
      'ehr-b',
      'ehrbase_multi_occurrence.de.v1',
      'flatten',
      flattenComposition(multi),
      '2024-05-03T10:00:00Z',
    ),
  ]);
  await db.pool.query(
    `INSERT INTO watermarks (id, template_id, ehr_id, last_exported_timestamp, last_export_started_at, last_export_status, compositions_exported_count)
     VALUES ('Corona_Anamnese::ehr-a', 'Corona_Anamnese', 'ehr-a', now(), now(), 'completed', 1)`,
  );
  await db.pool.query(
    `INSERT INTO export_runs (mode, template_ids, atlas_version) VALUES ('full', ARRAY['Corona_Anamnese'], 'test')`,
  );
  const queries = sampleQueries(readme);

  it('the README marks its sample queries, one ```sql block each, without ctx/ keys', () => {
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const q of queries) expect(q).not.toContain('ctx/');
  });

  it('every sample query runs', async () => {
    for (const q of queries) await expect(db.pool.query(q), q).resolves.toBeDefined();
  });

  it('the preserve and flatten temperature queries read the same values from the two storage forms', async () => {
    const preserve = queries.find(
      (q) => q.includes("export_mode = 'preserve'") && q.includes('body_temperature:0'),
    );
    const flatten = queries.find(
      (q) => q.includes("export_mode = 'flatten'") && q.includes('body_temperature/any_event'),
    );
    const p = await db.pool.query(preserve ?? '');
    const f = await db.pool.query(flatten ?? '');
    expect(p.rows.map((r) => [r.ehr_id, Number(r.first_event), Number(r.second_event), r.unit])).toEqual([
      ['ehr-a', 22, 11, 'Cel'],
    ]);
    expect(f.rows.map((r) => [r.ehr_id, Number(r.first_event), Number(r.second_event), r.unit])).toEqual([
      ['ehr-b', 22, 11, 'Cel'],
    ]);
  });

  it('the clinical-time and containment queries find the Corona composition', async () => {
    const clinical = await db.pool.query(queries.find((q) => q.includes('bericht/context/start_time')) ?? '');
    expect(
      clinical.rows.map((r) => [new Date(r.start_time).toISOString(), Number(r.temperature), r.unit]),
    ).toEqual([['2020-05-11T20:53:12.039Z', 39, '°C']]);
    const cough = await db.pool.query(queries.find((q) => q.includes('@>')) ?? '');
    expect(Number(cough.rows[0].with_cough)).toBe(1);
  });
});
