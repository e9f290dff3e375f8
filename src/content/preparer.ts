import { type CompositionFormat, createTransformer } from '../transform/index.js';

export interface CompositionMeta {
  ehrId: string;
  compositionUid: string;
  templateId: string;
}

/** Anonymise (when configured) and transform one FLAT composition into what is stored. */
export interface ContentPreparer {
  prepare(flat: Record<string, unknown>, meta: CompositionMeta): { json: string; checksum: string };
  /** The ehr_id as stored: the keyed pseudonym when anonymization.pseudonymize_ehr_id, else itself. */
  storedEhrId(ehrId: string): string;
  readonly format: CompositionFormat;
}

/** The part of the privacy module's anonymiser the export uses. */
export interface AnonymizerPort<F = unknown> {
  apply(input: CompositionMeta & { flat: Record<string, unknown> }): {
    flat: Record<string, unknown>;
    findings: F[];
  };
  pseudonymizeEhrId(ehrId: string): string;
}

export interface PreparerOptions<F> {
  format: CompositionFormat;
  /** Present when anonymization.enabled: the FLAT is anonymised before the transform. */
  anonymizer?: AnonymizerPort<F>;
  pseudonymizeEhrId: boolean;
  /** Called with each composition's findings (audit log, dry-run report); never given content. */
  onFindings?: (meta: CompositionMeta, findings: F[]) => void;
}

/**
 * The export's content path, shared with verify so both compute the same checksum: anonymise the FLAT
 * (when enabled; rows keep id, composition_uid, template_id and times intact), then preserve/flatten and
 * hash. The checksum therefore covers the content as stored.
 */
export function contentPreparer<F>(opts: PreparerOptions<F>): ContentPreparer {
  const { anonymizer } = opts;
  const pseudonymize = anonymizer && opts.pseudonymizeEhrId;
  // One transformer per preparer: a template's compositions share their key list, so the key sort and the
  // serialised key prefixes are computed once per list instead of once per composition.
  const transform = createTransformer(opts.format);
  return {
    format: opts.format,
    prepare(flat, meta) {
      let content = flat;
      if (anonymizer) {
        const result = anonymizer.apply({ ...meta, flat });
        content = result.flat;
        opts.onFindings?.(meta, result.findings);
      }
      const { json, checksum } = transform(content);
      return { json, checksum };
    },
    storedEhrId: pseudonymize ? (id) => anonymizer.pseudonymizeEhrId(id) : (id) => id,
  };
}
