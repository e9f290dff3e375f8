/**
 * Java's `Double.toString` text for a number, as EHRbase's Jackson writer prints RM `Real`/`Double` attributes
 * (flat-codec-rules.md §6.1): always a decimal point or an exponent (`22.0`, `1.0E7`, `1.0E-4`). Java 19+ and
 * JavaScript pick the same shortest round-tripping digits, so only the layout differs: Java switches to
 * `d.dddE±n` outside [10⁻³, 10⁷) and writes no `+`.
 */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}
