import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';
import type { ColumnEncoding } from '../type-mapping.js';
import type { ViewWriter } from './view-writer.js';

/**
 * RFC 4180 CSV with a header row, UTF-8, `\n` line ends. NULL is an empty field; an empty string is `""`
 * (quoted), so the two stay apart. Values are PostgreSQL's text in the export session (UTC, ISO styles;
 * timestamps as `…T…Z`, see type-mapping.ts). Backpressure is honoured: memory holds one batch.
 */
export function csvViewWriter(file: string, encodings: ColumnEncoding[]): ViewWriter {
  const out = createWriteStream(file);
  const csv = stringify({
    header: true,
    columns: encodings.map((e) => e.column.name),
    // `quoted_empty` would quote NULLs too: only a real empty string is written `""`.
    cast: { string: (v) => (v === '' ? { value: '""', quote: false } : v) },
    record_delimiter: 'unix',
  });
  csv.pipe(out);
  const failed = new Promise<never>((_, reject) => {
    csv.once('error', reject);
    out.once('error', reject);
  });
  failed.catch(() => undefined);
  return {
    async write(rows) {
      for (const row of rows) {
        if (!csv.write(row)) await Promise.race([once(csv, 'drain'), failed]);
      }
    },
    async finish() {
      csv.end();
      await Promise.race([once(out, 'finish'), failed]);
    },
  };
}
