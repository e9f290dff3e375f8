import { InvalidArgumentError } from 'commander';

/**
 * Commander option parsers shared by the commands. A value they reject is a usage error (exit 2), reported by
 * commander with the message given here.
 */

/** Repeatable option; values may also be comma-separated (split by the configuration loader). */
export const collectList = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** An integer option of at least 1. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** An integer option within bounds. */
export function intOption(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
}
