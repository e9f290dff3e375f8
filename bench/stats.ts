/** One measured figure over several runs: the median with the spread, and every value as measured. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function figureOf(values: number[]): Figure {
  if (values.length === 0) throw new Error('figureOf: no values (did every run fail?)');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, values };
}

/** A figure derived from another one run by run (e.g. a rate from wall times). */
export function mapFigure(values: number[], fn: (v: number) => number): Figure {
  return figureOf(values.map(fn));
}

/** Run-by-run ratio of two equally long series (e.g. export rate ÷ COPY rate of the same run). */
export function ratioFigure(numerators: number[], denominators: number[]): Figure {
  if (numerators.length !== denominators.length) throw new Error('ratioFigure: series differ in length');
  return figureOf(numerators.map((n, i) => n / denominators[i]!));
}
