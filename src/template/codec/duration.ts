/**
 * ISO 8601 durations printed as EHRbase (Archie + java.time) prints them (flat-codec-rules.md §3.9):
 * `PT…` only → java.time `Duration` (normalised: `PT90M` → `PT1H30M`, hours never become days);
 * date part only → `Period` (weeks become days: `P2W` → `P14D`, months are not carried into years);
 * both → the period, then the normalised time part (`P2DT11H33M`). A leading `-` stays in front.
 * `undefined` = not an ISO 8601 duration.
 */
const DURATION =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/i;

export function normaliseDuration(text: string): string | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const [, sign, y, mo, w, d, h, mi, s, frac] = m;
  const hasTime = /T/i.test(text);
  if (hasTime && h === undefined && mi === undefined && s === undefined) return undefined;
  if (!hasTime && [y, mo, w, d].every((x) => x === undefined)) return undefined;
  const days = Number(d ?? 0) + 7 * Number(w ?? 0);
  let period = '';
  if (y && +y) period += `${+y}Y`;
  if (mo && +mo) period += `${+mo}M`;
  if (days) period += `${days}D`;
  const totalSeconds = Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
  const fraction = (frac ?? '').replace(/0+$/, '');
  let time = '';
  const hh = Math.floor(totalSeconds / 3600);
  const mm = Math.floor((totalSeconds % 3600) / 60);
  const ss = totalSeconds % 60;
  if (hh) time += `${hh}H`;
  if (mm) time += `${mm}M`;
  if (ss || fraction) time += `${ss}${fraction ? `.${fraction}` : ''}S`;
  const minus = sign === '-' ? '-' : '';
  if (!hasTime) return `${minus}P${period || '0D'}`;
  if (!period) return `${minus}PT${time || '0S'}`;
  return `${minus}P${period}${time ? `T${time}` : ''}`;
}
