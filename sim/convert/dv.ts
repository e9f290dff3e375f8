/**
 * Data values between their FLAT attribute form (`''` = the main value, `|code`, `|magnitude` …) and
 * canonical RM JSON, for the types of openehr-rest.md §7.3.
 */
export type FlatAttrs = Map<string, unknown>;

const codePhrase = (code: unknown, terminology: unknown) => ({
  _type: 'CODE_PHRASE',
  terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology ?? 'local' },
  code_string: code,
});

function omitUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** FLAT attributes of one leaf → canonical value of `rmType`. */
export function dvFromFlat(rmType: string, a: FlatAttrs): Record<string, unknown> {
  const main = a.get('');
  switch (rmType) {
    case 'DV_CODED_TEXT':
      if (a.has('|other')) return { _type: 'DV_TEXT', value: a.get('|other') };
      return omitUndefined({
        _type: 'DV_CODED_TEXT',
        value: a.get('|value') ?? a.get('|code'),
        defining_code: codePhrase(a.get('|code'), a.get('|terminology')),
      });
    case 'DV_TEXT':
      return omitUndefined({ _type: 'DV_TEXT', value: main, formatting: a.get('|formatting') });
    case 'DV_QUANTITY':
      return omitUndefined({
        _type: 'DV_QUANTITY',
        magnitude: a.get('|magnitude'),
        units: a.get('|unit'),
        precision: a.get('|precision'),
      });
    case 'DV_COUNT':
      return { _type: 'DV_COUNT', magnitude: main };
    case 'DV_ORDINAL':
      return {
        _type: 'DV_ORDINAL',
        value: a.get('|ordinal'),
        symbol: {
          _type: 'DV_CODED_TEXT',
          value: a.get('|value'),
          defining_code: codePhrase(a.get('|code'), a.get('|terminology')),
        },
      };
    case 'DV_PROPORTION':
      return omitUndefined({
        _type: 'DV_PROPORTION',
        numerator: a.get('|numerator'),
        denominator: a.get('|denominator'),
        type: a.get('|type'),
      });
    case 'DV_IDENTIFIER':
      return omitUndefined({
        _type: 'DV_IDENTIFIER',
        id: main ?? a.get('|id'),
        issuer: a.get('|issuer'),
        assigner: a.get('|assigner'),
        type: a.get('|type'),
      });
    case 'DV_MULTIMEDIA':
      return omitUndefined({
        _type: 'DV_MULTIMEDIA',
        uri: { _type: 'DV_URI', value: main },
        media_type: codePhrase(a.get('|mediatype'), 'IANA_media-types'),
        size: a.get('|size'),
      });
    case 'DV_PARSABLE':
      return omitUndefined({ _type: 'DV_PARSABLE', value: main, formalism: a.get('|formalism') });
    case 'CODE_PHRASE':
      return codePhrase(a.get('|code'), a.get('|terminology'));
    case 'PARTY_PROXY':
    case 'PARTY_IDENTIFIED':
      if (!a.has('|name') && !a.has('|id')) return { _type: 'PARTY_SELF' };
      return omitUndefined({
        _type: 'PARTY_IDENTIFIED',
        name: a.get('|name'),
        external_ref: a.has('|id')
          ? {
              _type: 'PARTY_REF',
              id: { _type: 'GENERIC_ID', value: a.get('|id'), scheme: a.get('|id_scheme') ?? 'local' },
              namespace: a.get('|id_namespace') ?? 'local',
              type: 'PERSON',
            }
          : undefined,
      });
    default: {
      const out: Record<string, unknown> = { _type: rmType };
      if (main !== undefined) out.value = main;
      for (const [k, v] of a) if (k) out[k.slice(1)] = v;
      return out;
    }
  }
}

/** Canonical value → FLAT attributes (`''` = main value) as EHRbase writes them. */
export function dvToFlat(value: Record<string, unknown>, nodeType: string): Array<[string, unknown]> {
  const type = typeof value._type === 'string' ? value._type : nodeType;
  const code = (v: unknown) => {
    const c = v as { code_string?: unknown; terminology_id?: { value?: unknown } } | undefined;
    return [c?.code_string, c?.terminology_id?.value];
  };
  switch (type) {
    case 'DV_CODED_TEXT': {
      const [c, t] = code(value.defining_code);
      return [
        ['|code', c],
        ['|value', value.value],
        ['|terminology', t],
      ];
    }
    case 'DV_TEXT':
      return nodeType === 'DV_CODED_TEXT' ? [['|other', value.value]] : [['', value.value]];
    case 'DV_QUANTITY':
      return [
        ['|magnitude', value.magnitude],
        ['|unit', value.units],
        ['|precision', value.precision],
      ];
    case 'DV_COUNT':
      return [['', value.magnitude]];
    case 'DV_ORDINAL': {
      const symbol = value.symbol as Record<string, unknown> | undefined;
      // EHRbase writes no |terminology for ordinals (always local).
      const [c] = code(symbol?.defining_code);
      return [
        ['|value', symbol?.value],
        ['|ordinal', value.value],
        ['|code', c],
      ];
    }
    case 'DV_PROPORTION':
      return [
        [
          '',
          typeof value.numerator === 'number' &&
          typeof value.denominator === 'number' &&
          value.denominator !== 0
            ? value.numerator / value.denominator
            : undefined,
        ],
        ['|numerator', value.numerator],
        ['|denominator', value.denominator],
        ['|type', value.type],
      ];
    case 'DV_IDENTIFIER':
      return [
        ['', value.id],
        ['|issuer', value.issuer],
        ['|assigner', value.assigner],
        ['|type', value.type],
      ];
    case 'DV_MULTIMEDIA':
      return [
        ['', (value.uri as { value?: unknown } | undefined)?.value],
        ['|mediatype', code(value.media_type)[0]],
        ['|size', value.size],
      ];
    case 'DV_PARSABLE':
      return [
        ['', value.value],
        ['|formalism', value.formalism],
      ];
    case 'CODE_PHRASE': {
      const [c, t] = code(value);
      return [
        ['|code', c],
        ['|terminology', t],
      ];
    }
    case 'PARTY_SELF':
      return [];
    case 'PARTY_IDENTIFIED':
    case 'PARTY_RELATED': {
      const ref = value.external_ref as
        | { id?: { value?: unknown; scheme?: unknown }; namespace?: unknown }
        | undefined;
      return [
        ['|name', value.name],
        ['|id', ref?.id?.value],
        ['|id_scheme', ref?.id?.scheme],
        ['|id_namespace', ref?.namespace],
      ];
    }
    default:
      return [['', value.value]];
  }
}
