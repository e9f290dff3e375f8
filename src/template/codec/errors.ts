import { AtlasError, ExitCode } from '../../errors.js';

/**
 * A FLAT document the template cannot take: keys no template node consumes, or values of the wrong type.
 * Exit 2 (bad input); the simulator answers it with 400 as EHRbase does (`UnmarshalException`).
 */
export class FlatCodecError extends AtlasError {
  /** The FLAT keys at fault, in document order. */
  readonly keys: readonly string[];
  constructor(message: string, keys: readonly string[]) {
    super(message, ExitCode.usage);
    this.keys = keys;
  }
}

/** EHRbase's own text for leftover keys: `Could not consume Parts [k1, k2]`. */
export function unconsumedError(keys: readonly string[]): FlatCodecError {
  return new FlatCodecError(`Could not consume Parts [${keys.join(', ')}]`, keys);
}

/** A value that cannot be read as the type its key needs; the message names the key and the type. */
export function valueError(key: string, expected: string, value: unknown): FlatCodecError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : JSON.stringify(value);
  return new FlatCodecError(`FLAT key "${key}": expected ${expected}, got ${shown}`, [key]);
}

/** A canonical composition the codec cannot render (not a COMPOSITION, wrong template root). */
export class CanonicalCodecError extends AtlasError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}
