import type { SchemaElement } from 'hyparquet';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import { type ColumnEncoding, parseIntArray } from '../type-mapping.js';
import { parquetElements } from './parquet-schema.js';
import type { ViewWriter } from './view-writer.js';

/**
 * Rows per row group. Memory holds one row group's columns (as JS values) plus its encoded pages; 50,000
 * rows of a wide view stay well under 100 MB, and readers skip row groups by their statistics.
 */
export const PARQUET_ROW_GROUP_ROWS = 50_000;

/** A Parquet file written with hyparquet-writer, one row group at a time (bounded memory). */
export function parquetViewWriter(file: string, encodings: ColumnEncoding[], createdBy: string): ViewWriter {
  const schema: SchemaElement[] = [
    { name: 'schema', num_children: encodings.length },
    ...encodings.flatMap(parquetElements),
  ];
  const writer = new ParquetWriter({ writer: fileWriter(file), schema, codec: 'SNAPPY', createdBy });
  const decoders = encodings.map(decoderOf);
  let columns: unknown[][] = encodings.map(() => []);
  let buffered = 0;
  const flush = async () => {
    if (buffered === 0) return;
    const columnData = encodings.map((enc, j) => ({ name: enc.column.name, data: columns[j]! }));
    await writer.write({ columnData, rowGroupSize: buffered });
    columns = encodings.map(() => []);
    buffered = 0;
  };
  return {
    async write(rows) {
      for (const row of rows) {
        for (let j = 0; j < decoders.length; j++) {
          const v = row[j];
          columns[j]!.push(v === null || v === undefined ? null : decoders[j]!(v));
        }
      }
      buffered += rows.length;
      if (buffered >= PARQUET_ROW_GROUP_ROWS) await flush();
    },
    async finish() {
      await flush();
      writer.finish();
    },
  };
}

/** PostgreSQL text (as converted by the export query) → the value hyparquet-writer expects. */
function decoderOf(enc: ColumnEncoding): (v: string) => unknown {
  switch (enc.column.sqlType) {
    case 'integer':
    case 'date':
      return Number;
    case 'bigint':
    case 'time':
    case 'timestamptz':
      return BigInt;
    case 'numeric':
      return enc.decimal?.kind === 'decimal' ? BigInt : (v) => v;
    case 'boolean':
      return (v) => v === 't';
    case 'int[]':
      return parseIntArray;
    default:
      return (v) => v;
  }
}
