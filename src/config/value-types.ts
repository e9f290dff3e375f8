import { z } from 'zod';
import { connectionUrlProblem } from './url-secrets.js';

/**
 * The value kinds a configuration key can hold. Each kind knows how to validate a value (from TOML or a
 * flag, via zod), how to read the text of an environment variable, how to describe what it allows (for
 * error messages and docs/configuration.md) and how to write a value back as TOML or as a variable (for
 * `atlas init` and the round-trip tests).
 */
export interface ValueType<T> {
  /** Short type name for the docs: `integer`, `boolean`, `string list`, ... */
  readonly name: string;
  /** What is allowed, as shown after "allowed:" in errors and in the docs. */
  readonly allowed: string;
  readonly schema: z.ZodType<T>;
  /** Turns the text of a variable or flag into the shape the schema expects (unparseable text passes through). */
  fromText(text: string): unknown;
  toToml(value: T): string;
  toText(value: T): string;
  /** Set for file system paths: relative paths are resolved from the working directory. */
  readonly path?: 'existing-file' | 'any';
}

const BOOL_WORDS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

/** Lists in variables: a JSON array, or a comma-separated list (items trimmed, empty items dropped). */
function textToList(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return text;
    }
  }
  return t === ''
    ? []
    : t
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function textToNumber(text: string): unknown {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : text;
}

const tomlString = (s: string): string => JSON.stringify(s);

export function stringType(opts: { allowed?: string; nonEmpty?: boolean } = {}): ValueType<string> {
  return {
    name: 'string',
    allowed: opts.allowed ?? (opts.nonEmpty === false ? 'any text' : 'a non-empty string'),
    schema: opts.nonEmpty === false ? z.string() : z.string().min(1),
    fromText: (t) => t,
    toToml: tomlString,
    toText: (v) => v,
  };
}

export function booleanType(): ValueType<boolean> {
  return {
    name: 'boolean',
    allowed: 'true or false (variables and flags also accept 1/0, yes/no)',
    schema: z.boolean(),
    fromText: (t) => BOOL_WORDS[t.trim().toLowerCase()] ?? t,
    toToml: String,
    toText: String,
  };
}

export function integerType(min: number, max?: number): ValueType<number> {
  const range = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  let schema = z.number().int().min(min);
  if (max !== undefined) schema = schema.max(max);
  return { name: 'integer', allowed: range, schema, fromText: textToNumber, toToml: String, toText: String };
}

export function numberType(min: number): ValueType<number> {
  return {
    name: 'number',
    allowed: `a number >= ${min}`,
    schema: z.number().min(min),
    fromText: textToNumber,
    toToml: (v) => (Number.isInteger(v) ? v.toFixed(1) : String(v)),
    toText: String,
  };
}

/**
 * A choice among fixed words, case-insensitive; `synonyms` maps accepted spellings (e.g. the original's
 * `preserved`, `hipaa`) to the canonical word.
 */
export function enumType<const V extends string>(
  values: readonly [V, ...V[]],
  synonyms: Record<string, V> = {},
): ValueType<V> {
  const canonical = z.enum(values);
  const schema = z
    .string()
    .transform((s) => {
      const lower = s.trim().toLowerCase();
      return synonyms[lower] ?? lower;
    })
    .pipe(canonical);
  return {
    name: 'string',
    allowed: values.map((v) => `"${v}"`).join(' | '),
    schema,
    fromText: (t) => t,
    toToml: tomlString,
    toText: (v) => v,
  };
}

export function stringListType(opts: { allowed?: string } = {}): ValueType<string[]> {
  return {
    name: 'string list',
    allowed: opts.allowed ?? 'a list of non-empty strings (variables: JSON array or comma-separated)',
    schema: z.array(z.string().trim().min(1)),
    fromText: textToList,
    toToml: (v) => `[${v.map(tomlString).join(', ')}]`,
    toText: (v) => v.join(','),
  };
}

export function integerListType(min: number, max: number): ValueType<number[]> {
  return {
    name: 'integer list',
    allowed: `a non-empty list of integers from ${min} to ${max} (variables: JSON array or comma-separated)`,
    schema: z.array(z.number().int().min(min).max(max)).min(1),
    fromText: (t) => {
      const list = textToList(t);
      return Array.isArray(list) ? list.map((x) => (typeof x === 'string' ? textToNumber(x) : x)) : list;
    },
    toToml: (v) => `[${v.join(', ')}]`,
    toText: (v) => v.join(','),
  };
}

export function httpUrlType(): ValueType<string> {
  return {
    name: 'URL',
    allowed: 'an http:// or https:// URL',
    schema: z.url({ protocol: /^https?$/ }),
    fromText: (t) => t.trim(),
    toToml: tomlString,
    toText: (v) => v,
  };
}

/**
 * An instant on the commit-time axis. A bare date is taken as midnight UTC (the flags `--since 2024-01-01`
 * read naturally); anything else needs a zone (`Z` or `+01:00`) so no run depends on the machine's zone.
 */
export function instantType(): ValueType<string> {
  const instant = z.iso.datetime({ offset: true });
  const date = z.iso.date().transform((d) => `${d}T00:00:00Z`);
  return {
    name: 'instant',
    allowed: 'an ISO-8601 instant with zone, e.g. "2024-01-01T00:00:00Z", or a date (midnight UTC)',
    schema: z
      .string()
      .trim()
      .pipe(z.union([instant, date])),
    fromText: (t) => t,
    toToml: tomlString,
    toText: (v) => v,
  };
}

/** A PostgreSQL identifier Atlas can use unquoted (schema names). */
export function identifierType(): ValueType<string> {
  return {
    name: 'identifier',
    allowed: 'a SQL identifier: letters, digits and _, not starting with a digit, at most 63 characters',
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/),
    fromText: (t) => t.trim(),
    toToml: tomlString,
    toText: (v) => v,
  };
}

/** `postgresql://` / `postgres://` connection URLs. */
export function connectionStringType(): ValueType<string> {
  return {
    name: 'string',
    allowed: 'a URL starting with postgresql:// or postgres://',
    // The rule export applies (connection-target.ts), so validate-config never calls valid what export refuses.
    schema: z.string().superRefine((v, ctx) => {
      const problem = connectionUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    fromText: (t) => t.trim(),
    toToml: tomlString,
    toText: (v) => v,
  };
}

/** A file system path; `existing-file` must name a readable file when the configuration is loaded. */
export function pathType(kind: 'existing-file' | 'any'): ValueType<string> {
  const where = 'relative paths are taken from the working directory';
  return {
    name: 'path',
    allowed: kind === 'existing-file' ? `a readable file (${where})` : `a file system path (${where})`,
    schema: z.string().min(1),
    fromText: (t) => t,
    toToml: tomlString,
    toText: (v) => v,
    path: kind,
  };
}
