const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * RFC 4648 base32 without padding (upper case, so tokens survive case-insensitive systems intact). Built
 * from character codes in one go: a flat string serialises faster than a chain of concatenations.
 */
export function base32(bytes: Uint8Array): string {
  const codes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      codes.push(ALPHABET.charCodeAt((buffer >>> bits) & 31));
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) codes.push(ALPHABET.charCodeAt((buffer << (5 - bits)) & 31));
  return String.fromCharCode(...codes);
}
