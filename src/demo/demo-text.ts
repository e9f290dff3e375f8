import { formatTable, type QueryResult } from '../util/table.js';
import type { SampleQuery } from './sample-queries.js';

export interface DemoIntro {
  ehrs: number;
  compositions: number;
  seed: number;
  templateIds: string[];
  dataDir: string;
  keep: boolean;
}

export function introText(d: DemoIntro): string {
  const db = d.keep
    ? 'kept from the previous run: this run is incremental'
    : 'emptied first; --keep exports incrementally into the previous result';
  return [
    'Atlas demo',
    `  Source:    the openEHR simulator (EHRbase REST API), ${d.ehrs} EHRs, about ${d.compositions} compositions, seed ${d.seed}`,
    `  Templates: ${d.templateIds.join(', ')}`,
    `  Target:    embedded PostgreSQL (PGlite) in ${d.dataDir} (${db})`,
    '',
  ].join('\n');
}

/** Each sample query: its title, the SQL, and the result as an aligned table. */
export function queriesText(results: Array<SampleQuery & QueryResult>, maxRows: number): string {
  const parts = [
    `Sample queries from migrations/README.md, run on the exported data (${results.length}):`,
    '',
  ];
  results.forEach((r, i) => {
    parts.push(`── ${i + 1}. ${r.title}`, '', r.sql, '', formatTable(r, { maxRows, maxWidth: 48 }));
  });
  return `${parts.join('\n')}`;
}

export function nextStepsText(atlas: string, dataDir: string, durationMs: number): string {
  const db = dataDir.includes(' ') ? `'${dataDir}'` : dataDir;
  return [
    'Next steps:',
    `  Query the demo database:  ${atlas} sql --db ${db} "SELECT template_id, count(*) FROM compositions GROUP BY 1"`,
    `  Use psql or a BI tool:    ${atlas} db serve --db ${db}   (prints the psql command; Ctrl+C stops it)`,
    `  Export your own server:   ${atlas} init, edit atlas.toml, then ${atlas} export   (docs/user-guide.md)`,
    '',
    `Demo finished in ${(durationMs / 1000).toFixed(1)} s.`,
    '',
  ].join('\n');
}
