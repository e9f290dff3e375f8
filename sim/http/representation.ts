import type { Flavour } from '../types.js';
import { HttpError } from './reply.js';

export type Representation = 'canonical' | 'flat' | 'structured' | 'xml';

export const CONTENT_TYPE: Record<Representation, string> = {
  canonical: 'application/json',
  flat: 'application/openehr.wt.flat.schema+json',
  structured: 'application/openehr.wt.structured.schema+json',
  xml: 'application/xml',
};

const EHRBASE_MEDIA: Record<string, Representation> = {
  'application/json': 'canonical',
  'application/xml': 'xml',
  'application/openehr.wt.flat.schema+json': 'flat',
  'application/openehr.wt.structured.schema+json': 'structured',
};

const BETTER_MEDIA: Record<string, Representation> = {
  'application/json': 'canonical',
  'application/xml': 'xml',
  'application/openehr.wt.flat+json': 'flat',
  'application/openehr.wt.structured+json': 'structured',
};

const FORMATS: Record<string, Representation> = {
  JSON: 'canonical',
  XML: 'xml',
  FLAT: 'flat',
  STRUCTURED: 'structured',
};

/** Media types of an Accept header, by descending q (stable for ties). */
export function acceptedTypes(accept: string | undefined): string[] {
  if (!accept?.trim()) return ['*/*'];
  return accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim());
      const q = params.find((p) => p.startsWith('q='));
      return { type: type.toLowerCase(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((t) => t.type && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((t) => t.type);
}

/**
 * The composition representation of a GET (EHRbase's `extractCompositionRepresentation`, openehr-rest.md
 * §3.2): `format` must be a known enum name; `Accept` picks the media type; JSON + FLAT/STRUCTURED gives
 * the simplified format, XML only with XML. Better selects FLAT only through its spec media type
 * (`application/openehr.wt.flat+json`) and ignores `format`.
 */
export function selectRepresentation(
  flavour: Flavour,
  accept: string | undefined,
  format: string | null,
): Representation {
  if (flavour === 'ehrbase' && format !== null) {
    if (['RAW', 'EXPANDED', 'ECISFLAT'].includes(format))
      throw new HttpError(400, `Format ${format} not supported`);
    if (!(format in FORMATS)) {
      throw new HttpError(
        406,
        `Invalid compositions format [${format}] only [XML, JSON, FLAT, STRUCTURED] are supported at the moment`,
      );
    }
  }
  const media = flavour === 'ehrbase' ? EHRBASE_MEDIA : BETTER_MEDIA;
  let chosen: Representation | undefined;
  for (const type of acceptedTypes(accept)) {
    if (type === '*/*' || type === 'application/*') {
      chosen = 'canonical';
      break;
    }
    const rep = media[type];
    if (rep) {
      chosen = rep;
      break;
    }
  }
  if (!chosen)
    throw new HttpError(
      406,
      `Accept ${accept ?? ''} is not supported; use one of ${Object.keys(media).join(', ')}`,
    );
  if (flavour === 'better' || format === null) return chosen;
  const wanted = FORMATS[format]!;
  if (chosen === 'xml') {
    if (wanted !== 'xml')
      throw new HttpError(
        406,
        'Only composition format [XML] is supported at the moment for type [application/xml]',
      );
    return 'xml';
  }
  if (chosen === 'canonical') return wanted === 'xml' ? 'canonical' : wanted;
  return chosen;
}
