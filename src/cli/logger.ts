import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import type { AtlasConfig } from '../config/types.js';
import { RotatingFile } from './logger-file.js';
import { prettyDestination } from './logger-pretty.js';

/** Field names whose values never reach a log line, at any of the first four levels of nesting. */
const SECRET_FIELDS = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'bearerToken',
  'secret',
  'clientSecret',
  'client_secret',
  'key',
  'authorization',
  'Authorization',
  'cookie',
  'connectionString',
  'connection_string',
];
/** House rule: composition content is never logged, even by mistake. */
const CONTENT_FIELDS = ['composition', 'compositionContent'];

export const REDACT_PATHS: string[] = ['', '*.', '*.*.', '*.*.*.'].flatMap((prefix) =>
  [...SECRET_FIELDS, ...CONTENT_FIELDS].map((name) => `${prefix}${name}`),
);

function censor(_value: unknown, path: string[]): string {
  return CONTENT_FIELDS.includes(path[path.length - 1] ?? '') ? '[composition omitted]' : '***';
}

export interface LoggerOptions {
  /** Where log lines go (default: stderr). */
  stderr?: { write(s: string): unknown; isTTY?: boolean };
  /** Clock for the file destination's daily switch (tests). */
  now?: () => Date;
}

export interface AtlasLogger {
  logger: Logger;
  /** Flushes and closes the destinations; call in `finally`. */
  close(): void;
}

/**
 * The run's logger: level and format from the configuration (flags and variables already applied), lines
 * on stderr (pretty or JSON), optionally JSON lines in rotating files ([logging] local_*). Secrets are
 * redacted by field name before anything is written.
 */
export function createLogger(config: AtlasConfig, options: LoggerOptions = {}): AtlasLogger {
  const level = config.application.logLevel;
  const stderr = options.stderr ?? process.stderr;
  const terminal: DestinationStream =
    config.application.logFormat === 'pretty'
      ? prettyDestination(stderr, stderr.isTTY === true)
      : { write: (s: string) => void stderr.write(s) };
  const streams: StreamEntry[] = [{ stream: terminal, level }];
  let file: RotatingFile | undefined;
  if (config.logging.localEnabled) {
    file = new RotatingFile({
      dir: config.logging.localPath,
      rotation: config.logging.localRotation,
      maxBytes: config.logging.localMaxSizeMb * 1024 * 1024,
      now: options.now,
    });
    const target = file;
    streams.push({ stream: { write: (s: string) => target.write(s) }, level });
  }
  const logger = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor },
    },
    pino.multistream(streams),
  );
  return {
    logger,
    close() {
      file?.close();
    },
  };
}
