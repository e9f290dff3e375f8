import { isIPv4, isIPv6 } from 'node:net';
import { digitsOf, eachMatch, hasDigit } from './regex-util.js';
import type { TextDetector } from './types.js';

// Starts only where a local part can start, and bounds its parts by the RFC 5321 limits (64-character local
// part, 63-character labels, at most 10 labels): linear time even on adversarial text.
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?){0,10}\.\p{L}{2,63}/gu;

export const emailDetector: TextDetector = {
  name: 'pattern:email',
  category: 'EMAIL',
  catches: 'addresses of the form local@domain.tld, Unicode letters included',
  misses: 'obfuscated addresses ("jane at example dot com"), addresses split over lines',
  needs: (t) => t.hasAt,
  find(text, _mode, out) {
    eachMatch(EMAIL, text, (start, end) => out.push({ start, end, category: 'EMAIL', detector: this.name }));
  },
};

// A scheme or www. is required: bare "name.tld" would match uids (…::ehrbase.org::1), template ids and
// version numbers, which would otherwise be the main source of false positives.
const URL = /(?<![\p{L}\p{N}])(?:(?:https?|ftp|sftp|ehr):\/\/|www\.)[^\s<>"'`{}|\\^[\]]+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?)]+$/;

export const urlDetector: TextDetector = {
  name: 'pattern:url',
  category: 'URL',
  catches: 'http(s), ftp, sftp and ehr:// URLs, and www. addresses',
  misses:
    'bare domains without scheme or www. (example.org/patient/17): telling them from ids and versions is guesswork',
  needs: (t) => t.hasUrlHint,
  find(text, _mode, out) {
    eachMatch(URL, text, (start, _end, m) => {
      const trimmed = m[0].replace(TRAILING_PUNCTUATION, '');
      out.push({ start, end: start + trimmed.length, category: 'URL', detector: this.name });
    });
  },
};

const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d]|\.\d)/g;
const IPV6 = /(?<![\p{L}\p{N}:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\p{L}\p{N}:])/gu;

export const ipDetector: TextDetector = {
  name: 'pattern:ip',
  category: 'IP',
  catches: 'IPv4 dotted quads and IPv6 addresses (full and compressed) that Node.js accepts as valid',
  misses:
    'IPv4 written otherwise (hex, integer); a four-part version number that is a valid IPv4 is reported (rare)',
  needs: hasDigit,
  find(text, _mode, out) {
    eachMatch(IPV4, text, (start, end, m) => {
      if (isIPv4(m[0])) out.push({ start, end, category: 'IP', detector: this.name });
    });
    if (!text.includes(':')) return;
    eachMatch(IPV6, text, (start, end, m) => {
      // At least three non-empty groups: `::1`, `ab::cd` or a clock time are not worth a false positive.
      const groups = m[0].split(':').filter((g) => g.length > 0).length;
      if (groups >= 3 && isIPv6(m[0])) out.push({ start, end, category: 'IP', detector: this.name });
    });
  },
};

const NUMBER_BODY = String.raw`\+?\(?\d[\d\s()./-]{4,22}\d`;
const PHONE_LABEL = new RegExp(
  String.raw`\b(?:tel(?:ephone|efon|\.)?|phone|mobile?|mobil|handy|cell(?:phone)?|fon|ruf(?:nummer)?)\s*(?:no\.?|nr\.?|number|nummer|#)?\s*[:.]?\s*(?<v>${NUMBER_BODY})`,
  'gid',
);
const FAX_LABEL = new RegExp(
  String.raw`\b(?:tele)?fax\s*(?:no\.?|nr\.?|number|nummer|#)?\s*[:.]?\s*(?<v>${NUMBER_BODY})`,
  'gid',
);
// Unlabelled: an international prefix, a US (NXX) NXX-XXXX number, or a trunk-prefixed European number with
// at least one separator; digit counts are checked afterwards.
const PHONE_INTERNATIONAL = /(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s./-]?\(?\d{1,5}\)?){2,6}(?![\w])/g;
const PHONE_US = /(?<![\w-])(?:\+?1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])/g;
const PHONE_TRUNK = /(?<![\w+./-])0\d{2,4}(?:\s?\/\s?|[\s-])\d{3,8}(?:[\s-]\d{1,5})?(?![\w./-])/g;

function plausiblePhone(text: string, min: number): boolean {
  const n = digitsOf(text).length;
  return n >= min && n <= 15;
}

export const phoneDetector: TextDetector = {
  name: 'pattern:phone',
  category: 'PHONE',
  catches:
    'numbers after a label (Tel, Phone, Mobile, Handy, …); +/00 international numbers; US (555) 123-4567 / 555-123-4567; European trunk numbers with a separator (0621 1234567, 030/12345678)',
  misses: 'unlabelled numbers without prefix or separators (06211234567), vanity numbers (1-800-FLOWERS)',
  needs: hasDigit,
  find(text, _mode, out) {
    const push = (start: number, end: number) =>
      out.push({ start, end, category: 'PHONE', detector: this.name });
    eachMatch(PHONE_LABEL, text, (start, end, m) => {
      if (plausiblePhone(m.groups!.v!, 6)) push(start, end);
    });
    eachMatch(PHONE_INTERNATIONAL, text, (start, end, m) => {
      if (plausiblePhone(m[0], 8)) push(start, end);
    });
    eachMatch(PHONE_US, text, (start, end) => push(start, end));
    eachMatch(PHONE_TRUNK, text, (start, end, m) => {
      if (plausiblePhone(m[0], 9)) push(start, end);
    });
  },
};

export const faxDetector: TextDetector = {
  name: 'pattern:fax',
  category: 'FAX',
  catches: 'numbers after "Fax"/"Telefax"',
  misses: 'fax numbers without the label (reported as PHONE when they look like one)',
  needs: hasDigit,
  find(text, _mode, out) {
    eachMatch(FAX_LABEL, text, (start, end, m) => {
      if (plausiblePhone(m.groups!.v!, 6)) out.push({ start, end, category: 'FAX', detector: this.name });
    });
  },
};
