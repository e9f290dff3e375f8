/**
 * Exit codes, documented in the README. A few typed errors carry their exit code so the CLI can map any
 * failure to the right code without string matching; everything else is a plain Error (exit 1 at the top
 * level only if nothing more specific applies).
 */
export const ExitCode = {
  ok: 0,
  compositionsFailed: 1,
  usage: 2,
  auth: 3,
  connection: 4,
  interruptedSigint: 130,
  interruptedSigterm: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class AtlasError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad configuration, flags or arguments: exit 2. The message names the key, the value and what is allowed. */
export class ConfigError extends AtlasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
  }
}

/** The openEHR server or token endpoint refused our credentials: exit 3. Never carries a secret. */
export class AuthError extends AtlasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.auth, options);
  }
}

/** A server (openEHR or database) could not be reached or failed for good: exit 4. */
export class ConnectionError extends AtlasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.connection, options);
  }
}

/** The database schema is not one this version can use (drift, newer database, privileges): exit 4. */
export class SchemaError extends AtlasError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.connection, options);
  }
}

/** Normalises anything thrown into an Error. */
export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : `non-error thrown: ${JSON.stringify(err)}`);
}

/**
 * An error PostgreSQL itself raised (node-postgres's DatabaseError: a SQLSTATE code and a severity) that no
 * layer wrapped, such as "cannot execute INSERT in a read-only transaction".
 */
export function isDatabaseError(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return (
    err instanceof Error &&
    typeof e?.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    typeof e.severity === 'string'
  );
}

/**
 * The exit code of an error that ended a command: a typed error's own; a database error nothing wrapped is
 * the database failing (exit 4), not "compositions failed" (exit 1, the code of everything else).
 */
export function exitCodeOfError(err: unknown): ExitCodeValue {
  if (err instanceof AtlasError) return err.exitCode;
  if (isDatabaseError(err)) return ExitCode.connection;
  return ExitCode.compositionsFailed;
}
