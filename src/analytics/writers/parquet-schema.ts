import type { SchemaElement } from 'hyparquet';
import type { ColumnEncoding } from '../type-mapping.js';

/** Parquet schema elements of one column (type-mapping.ts has the table; docs/analytics.md explains it). */
export function parquetElements(enc: ColumnEncoding): SchemaElement[] {
  const { name, required } = enc.column;
  const repetition_type = required ? 'REQUIRED' : 'OPTIONAL';
  const string: SchemaElement = {
    name,
    repetition_type,
    type: 'BYTE_ARRAY',
    converted_type: 'UTF8',
    logical_type: { type: 'STRING' },
  };
  switch (enc.column.sqlType) {
    case 'text':
    case 'interval':
      return [string];
    case 'integer':
      return [{ name, repetition_type, type: 'INT32' }];
    case 'bigint':
      return [{ name, repetition_type, type: 'INT64' }];
    case 'boolean':
      return [{ name, repetition_type, type: 'BOOLEAN' }];
    case 'date':
      return [
        { name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
      ];
    case 'time':
      return [
        {
          name,
          repetition_type,
          type: 'INT64',
          converted_type: 'TIME_MICROS',
          logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MICROS' },
        },
      ];
    case 'timestamptz':
      return [
        {
          name,
          repetition_type,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MICROS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        },
      ];
    case 'numeric': {
      const d = enc.decimal;
      if (d?.kind !== 'decimal') return [string];
      return [
        {
          name,
          repetition_type,
          type: 'FIXED_LEN_BYTE_ARRAY',
          type_length: 16,
          converted_type: 'DECIMAL',
          precision: d.precision,
          scale: d.scale,
          logical_type: { type: 'DECIMAL', precision: d.precision, scale: d.scale },
        },
      ];
    }
    case 'int[]':
      // The standard three-level LIST: <name> (LIST) → list (repeated) → element.
      return [
        { name, repetition_type, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'REQUIRED', type: 'INT32' },
      ];
  }
}
