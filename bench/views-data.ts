import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { DEMO_DATA_DIR } from '../sim/index.js';
import { copyTextField } from '../src/store/postgres/copy-writer.js';
import { transformComposition } from '../src/transform/index.js';
import type { FreshDatabase } from './postgres.js';

export const VIEWS_TEMPLATE = 'vital_signs.v1';

/** A small deterministic PRNG (mulberry32): the same data for the same seed, run after run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function prototypes(): Array<Record<string, unknown>> {
  const read = (n: number) =>
    JSON.parse(
      readFileSync(join(DEMO_DATA_DIR, 'compositions', 'flat', `vital_signs_${n}.json`), 'utf8'),
    ) as Record<string, unknown>;
  return [read(1), read(2)];
}

const TEMP = 'vital_signs/body_temperature:0/any_event';
const COMPOSERS = ['Dr. A', 'Dr. B', 'Dr. C', 'Nurse D', 'Nurse E'];

/**
 * One vital-signs composition: a demo prototype with its own values; every fourth has a second body
 * temperature event (`any_event:1`), so the repeating view has more rows than the main view.
 */
function composition(protos: Array<Record<string, unknown>>, i: number, rnd: () => number) {
  const flat: Record<string, unknown> = { ...protos[i % protos.length]! };
  flat[`${TEMP}:0/temperature|magnitude`] = Math.round((36 + rnd() * 3.5) * 10) / 10;
  flat['vital_signs/composer|name'] = COMPOSERS[i % COMPOSERS.length];
  if (i % 4 === 0) {
    flat[`${TEMP}:1/temperature|magnitude`] = Math.round((36 + rnd() * 3.5) * 10) / 10;
    flat[`${TEMP}:1/temperature|unit`] = '°C';
    flat[`${TEMP}:1/time`] = '2024-03-06T11:00:00.000+01:00';
  }
  for (const k of Object.keys(flat))
    if (k.endsWith('/systolic|magnitude')) flat[k] = 100 + Math.floor(rnd() * 80);
  return flat;
}

/** Body-temperature events of `n` generated compositions (what the repeating view must count). */
export function expectedTemperatureEvents(n: number): number {
  const protos = prototypes();
  let events = 0;
  for (let i = 0; i < n; i++) {
    const proto = protos[i % protos.length]!;
    const own = new Set(
      Object.keys(proto)
        .filter((k) => k.startsWith('vital_signs/body_temperature:'))
        .map((k) => k.split('/').slice(0, 3).join('/'))
        .filter((k) => k.includes('/any_event:')),
    );
    if (i % 4 === 0) own.add(`${TEMP}:1`);
    events += own.size;
  }
  return events;
}

/**
 * Loads `n` compositions straight into `compositions` with one COPY (the stored form the exporter writes,
 * `preserve`), 10 per EHR. The GIN index on `content` is dropped first: no query here uses it, and keeping
 * it up to date row by row would make the load take many times longer than the measurements.
 */
export async function loadVitalSigns(db: FreshDatabase, n: number, seed: number): Promise<void> {
  const protos = prototypes();
  const rnd = random(seed);
  await db.pool.query('DROP INDEX IF EXISTS idx_compositions_content');
  const start = Date.parse('2024-01-01T00:00:00Z');
  function* lines(): Generator<string> {
    let chunk = '';
    for (let i = 0; i < n; i++) {
      const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const ehr = `10000000-0000-4000-8000-${Math.floor(i / 10)
        .toString(16)
        .padStart(12, '0')}`;
      const t = transformComposition(composition(protos, i, rnd), 'preserve');
      chunk += `${[
        id,
        ehr,
        `${id}::bench::1`,
        VIEWS_TEMPLATE,
        new Date(start + i * 60_000).toISOString(),
        t.json,
        'preserve',
        'bench',
        t.checksum,
      ]
        .map(copyTextField)
        .join('\t')}\n`;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const client = await db.pool.connect();
  try {
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          'COPY compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version, checksum) FROM STDIN',
        ),
      ),
    );
    await client.query('VACUUM ANALYZE compositions');
  } finally {
    client.release();
  }
}
