/**
 * Calls `onMatch` for every match of a global regex, with the range of the named group `v` when the regex
 * has one (compile it with the `d` flag) or of the whole match otherwise. The regex's lastIndex is reset,
 * so shared compiled regexes are safe to reuse (JavaScript is single-threaded).
 */
export function eachMatch(
  re: RegExp,
  text: string,
  onMatch: (start: number, end: number, match: RegExpExecArray) => void,
): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const range = m.indices?.groups?.v;
    if (range) onMatch(range[0], range[1], m);
    else onMatch(m.index, m.index + m[0].length, m);
    if (m[0].length === 0) re.lastIndex++;
  }
}

export const digitsOf = (text: string): string => text.replace(/\D/g, '');

export const hasDigit = (traits: { hasDigit: boolean }): boolean => traits.hasDigit;
