/** The anonymisation key's strength rule, owned by the configuration and applied again by the anonymiser. */
export const MIN_KEY_LENGTH = 16;
export const MIN_DISTINCT_CHARACTERS = 8;

/**
 * What is wrong with a configured key, or undefined when it is usable. The configuration loader reports it
 * with the other problems (`atlas validate-config`), and the anonymiser refuses the same keys at run time.
 */
export function anonymizationKeyProblem(key: string): string | undefined {
  if (key.length < MIN_KEY_LENGTH) {
    return `too short (${key.length} characters, at least ${MIN_KEY_LENGTH} required)`;
  }
  if (new Set(key).size < MIN_DISTINCT_CHARACTERS) {
    return `too simple (fewer than ${MIN_DISTINCT_CHARACTERS} different characters)`;
  }
  return undefined;
}
