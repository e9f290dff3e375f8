/**
 * How an unconstrained `numeric` column is written. The views' numeric columns have no declared precision
 * or scale (FLAT magnitudes are free-form), so the export measures them: the scale is the largest scale
 * of any value in the exported rows, the precision is fixed at 38 (what pandas/pyarrow decimal128, polars
 * and DuckDB read) so the physical type stays the same from one delta to the next. Every value is then
 * exact. A column whose values need more than 38 digits at that scale is written as its decimal text
 * instead (exact too; the manifest says so).
 */
export const DECIMAL_PRECISION = 38;

export type DecimalShape = { kind: 'decimal'; precision: number; scale: number } | { kind: 'text' };

/** From the largest scale and the largest absolute value (as PostgreSQL text) of a column's values. */
export function decimalShape(maxScale: string | null, maxAbs: string | null): DecimalShape {
  const scale = maxScale === null ? 0 : Number(maxScale);
  const integerDigits = maxAbs === null ? 1 : (maxAbs.split('.')[0] ?? '0').replace(/^0+(?=\d)/, '').length;
  if (scale > DECIMAL_PRECISION || integerDigits + scale > DECIMAL_PRECISION) return { kind: 'text' };
  return { kind: 'decimal', precision: DECIMAL_PRECISION, scale };
}
