/**
 * Human-readable log lines for a terminal: `12:34:56.789 INFO  message key=value`. It is a pino destination
 * (a stream receiving pino's JSON lines), so no worker thread or transport package is needed and the
 * redaction pino applied before serialising still holds.
 */
const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
};
const RESET = '\x1b[0m';
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function showField(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === 'object' && 'message' in value && 'type' in value) {
    return JSON.stringify((value as { message: unknown }).message);
  }
  return JSON.stringify(value) ?? String(value);
}

export function formatPrettyLine(json: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.parse(String(entry.time)));
  const clock = Number.isNaN(time.getTime()) ? '' : time.toISOString().slice(11, 23);
  const [name, ansi] = LEVELS[Number(entry.level)] ?? ['LOG  ', ''];
  const level = colour ? `${ansi}${name}${RESET}` : name;
  const fields = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${showField(v)}`);
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  return `${[clock, level, msg, ...fields].filter((s) => s !== '').join(' ')}\n`;
}

/** A pino destination that writes formatted lines to `out` synchronously. */
export function prettyDestination(
  out: { write(s: string): unknown },
  colour: boolean,
): { write(s: string): void } {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') out.write(formatPrettyLine(line, colour));
    },
  };
}
