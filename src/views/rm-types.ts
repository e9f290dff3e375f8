import type { ColumnSqlType } from './types.js';

/**
 * One column a data value contributes: its FLAT attribute (`|suffix`, `` = the main value), the name part
 * appended to the node's name (`` = the node's name alone) and its SQL type.
 */
export interface AttributeColumn {
  suffix: string;
  namePart: string;
  sqlType: ColumnSqlType;
  /** Other spellings of the same attribute, read when the main one is absent. */
  alternatives?: string[];
  /** Only when the web template lists this suffix among the node's inputs (open lists' `|other`). */
  onlyIfInput?: boolean;
}

const text = (suffix: string, namePart = suffix): AttributeColumn => ({ suffix, namePart, sqlType: 'text' });
const main = (sqlType: ColumnSqlType): AttributeColumn => ({ suffix: '', namePart: '', sqlType });
const codedText: AttributeColumn[] = [
  text('code'),
  text('value'),
  text('terminology'),
  { ...text('other'), onlyIfInput: true },
];

/**
 * RM data-value type → columns, following the FLAT suffix table (docs/openehr-rest.md §7.3, what EHRbase
 * emits). Only what is listed here becomes a column; the raw FLAT stays in `compositions.content`.
 * DV_MULTIMEDIA never exposes `|data` or thumbnails (inline bytes do not belong in an analytics view).
 */
export const RM_TYPE_COLUMNS: Readonly<Record<string, readonly AttributeColumn[]>> = {
  DV_TEXT: [main('text')],
  DV_CODED_TEXT: codedText,
  DV_STATE: [text('code'), text('value'), text('terminology')],
  CODE_PHRASE: [text('code'), text('terminology')],
  DV_QUANTITY: [{ suffix: 'magnitude', namePart: 'magnitude', sqlType: 'numeric' }, text('unit')],
  DV_COUNT: [main('bigint')],
  DV_BOOLEAN: [main('boolean')],
  DV_DATE_TIME: [main('timestamptz')],
  DV_DATE: [main('date')],
  DV_TIME: [main('time')],
  DV_DURATION: [main('interval')],
  DV_ORDINAL: [{ suffix: 'ordinal', namePart: 'ordinal', sqlType: 'integer' }, text('code'), text('value')],
  DV_SCALE: [{ suffix: 'scale', namePart: 'scale', sqlType: 'numeric' }, text('code'), text('value')],
  DV_PROPORTION: [
    main('numeric'),
    { suffix: 'numerator', namePart: 'numerator', sqlType: 'numeric' },
    { suffix: 'denominator', namePart: 'denominator', sqlType: 'numeric' },
    { suffix: 'type', namePart: 'type', sqlType: 'integer' },
  ],
  DV_IDENTIFIER: [main('text'), text('issuer'), text('assigner'), text('type')],
  DV_URI: [main('text')],
  DV_EHR_URI: [main('text')],
  DV_MULTIMEDIA: [
    main('text'),
    { suffix: 'mediatype', namePart: 'media_type', sqlType: 'text', alternatives: ['media_type'] },
    { suffix: 'size', namePart: 'size', sqlType: 'bigint' },
  ],
  DV_PARSABLE: [main('text'), text('formalism')],
  PARTY_PROXY: [text('name'), text('id'), text('id_scheme'), text('id_namespace')],
  // Plain RM strings some templates constrain (ACTIVITY/action_archetype_id, ACTION/activity_id).
  STRING: [main('text')],
};

/** Structural RM types whose children carry the data; they contribute a path segment but no column. */
export function isDataValueType(rmType: string): boolean {
  return Object.hasOwn(RM_TYPE_COLUMNS, rmType);
}
