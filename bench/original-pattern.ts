import { createHash } from 'node:crypto';
import pg from 'pg';
import { Client } from 'undici';

/**
 * The original Rust Atlas's access pattern (docs: rust-atlas-reference.md §4.2-4.4, §4.10, §5), reproduced
 * faithfully but without its bugs: one AQL listing every EHR (no paging); for each template × EHR one
 * listing AQL and, sequentially, one FLAT GET per composition; every statement preceded by
 * `SET statement_timeout` (2 round trips); one INSERT … ON CONFLICT per row; a watermark loaded and saved
 * three times per template × EHR. Nothing runs concurrently.
 */
export interface OriginalRun {
  compositions: number;
  seconds: number;
  httpRequests: number;
  pgRoundTrips: number;
}

const LIST_EHRS = 'SELECT e/ehr_id/value FROM EHR e';
const LIST_COMPOSITIONS =
  'SELECT c/uid/value, c/archetype_details/template_id/value, c/context/start_time/value, c/name/value ' +
  'FROM EHR e[ehr_id/value=$ehr] CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value = $t';

const INSERT_COMPOSITION = `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content,
    export_mode, exported_at, atlas_version, checksum)
  VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()), $6::jsonb, 'preserve', now(), 'original-pattern', $7)
  ON CONFLICT (id) DO UPDATE SET time_committed = EXCLUDED.time_committed, content = EXCLUDED.content,
    exported_at = EXCLUDED.exported_at, checksum = EXCLUDED.checksum`;

const SAVE_WATERMARK = `INSERT INTO watermarks (id, template_id, ehr_id, last_exported_timestamp,
    last_exported_composition_uid, compositions_exported_count, last_export_started_at, last_export_completed_at,
    last_export_status)
  VALUES ($1, $2, $3, coalesce($4::timestamptz, now()), $5, $6, now(), $7, $8)
  ON CONFLICT (id) DO UPDATE SET last_exported_timestamp = EXCLUDED.last_exported_timestamp,
    last_exported_composition_uid = EXCLUDED.last_exported_composition_uid,
    compositions_exported_count = EXCLUDED.compositions_exported_count,
    last_export_started_at = EXCLUDED.last_export_started_at,
    last_export_completed_at = EXCLUDED.last_export_completed_at, last_export_status = EXCLUDED.last_export_status`;

export async function runOriginalPattern(
  baseUrl: string,
  databaseUrl: string,
  templateIds: string[],
): Promise<OriginalRun> {
  const url = new URL(baseUrl);
  const http = new Client(url.origin, { pipelining: 1 });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  let httpRequests = 0;
  let pgRoundTrips = 0;
  const sql = async (text: string, params: unknown[] = []) => {
    await db.query('SET statement_timeout = 60000');
    pgRoundTrips += 2;
    return db.query(text, params);
  };
  const aql = async (q: string, params?: Record<string, string>): Promise<unknown[][]> => {
    httpRequests++;
    const res = await http.request({
      method: 'POST',
      path: `${url.pathname}/query/aql`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(params ? { q, query_parameters: params } : { q }),
    });
    const body = (await res.body.json()) as { rows?: unknown[][] };
    if (res.statusCode !== 200) throw new Error(`original pattern: AQL answered ${res.statusCode}`);
    return body.rows ?? [];
  };
  const getFlat = async (ehrId: string, uid: string): Promise<string | undefined> => {
    httpRequests++;
    const res = await http.request({
      method: 'GET',
      path: `${url.pathname}/ehr/${encodeURIComponent(ehrId)}/composition/${encodeURIComponent(uid)}?format=FLAT`,
      // The original sent no Accept header to EHRbase (reqwest's default); EHRbase answers 406 to the spec's one.
      headers: { accept: '*/*' },
    });
    const text = await res.body.text();
    if (res.statusCode === 200) return text;
    // The original logged and skipped anything else; here an unexpected status must not pass unnoticed.
    if (res.statusCode !== 204 && res.statusCode !== 404)
      throw new Error(`original pattern: composition GET answered ${res.statusCode}`);
    return undefined;
  };
  const started = process.hrtime.bigint();
  let compositions = 0;
  try {
    const ehrIds = (await aql(LIST_EHRS)).map((row) => String(row[0]));
    for (const templateId of templateIds) {
      for (const ehrId of ehrIds) {
        const wmId = `${templateId}::${ehrId}`;
        await sql('SELECT * FROM watermarks WHERE id = $1', [wmId]);
        await sql(SAVE_WATERMARK, [wmId, templateId, ehrId, null, null, 0, null, 'in_progress']);
        const listed = await aql(LIST_COMPOSITIONS, { ehr: ehrId, t: templateId });
        let last: unknown[] | undefined;
        for (const row of listed) {
          const uid = String(row[0]);
          // openEHR allows a decimal comma (ISO 8601); the original parsed the time before storing it.
          row[2] = typeof row[2] === 'string' ? row[2].replace(',', '.') : null;
          const flat = await getFlat(ehrId, uid);
          if (flat === undefined) continue;
          const checksum = createHash('sha256').update(flat).digest('hex');
          await sql(INSERT_COMPOSITION, [uid.split('::')[0], ehrId, uid, templateId, row[2], flat, checksum]);
          compositions++;
          last = row;
        }
        if (last)
          await sql(SAVE_WATERMARK, [wmId, templateId, ehrId, last[2], last[0], 1, null, 'in_progress']);
        await sql(SAVE_WATERMARK, [
          wmId,
          templateId,
          ehrId,
          last?.[2] ?? null,
          last?.[0] ?? null,
          1,
          new Date(),
          'completed',
        ]);
      }
    }
    return {
      compositions,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      httpRequests,
      pgRoundTrips,
    };
  } finally {
    await db.end();
    await http.close();
  }
}
