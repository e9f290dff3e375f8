/**
 * The view model: what a web template becomes before any SQL is written. Pure data, serialisable (the
 * column list is stored in `view_definitions.columns` so later generations keep names stable).
 */

/** SQL types a data-point column can have; each has a safe cast helper in the views schema. */
export type ColumnSqlType =
  | 'text'
  | 'numeric'
  | 'bigint'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamptz'
  | 'interval';

/** One node of a web template tree (the fields Atlas reads; everything else is ignored). */
export interface WebTemplateNode {
  id: string;
  name?: string;
  localizedName?: string;
  localizedNames?: Record<string, string>;
  rmType: string;
  nodeId?: string;
  min?: number;
  max?: number;
  aqlPath?: string;
  inContext?: boolean;
  inputs?: Array<{ suffix?: string; type?: string }>;
  children?: WebTemplateNode[];
}

export interface WebTemplate {
  templateId: string;
  defaultLanguage?: string;
  tree: WebTemplateNode;
}

/** One segment of a FLAT path: a web-template id, indexed (`:n`) when the node is multi-valued. */
export interface PathSegment {
  id: string;
  repeating: boolean;
}

/** A column of a view as generated (and as recorded in `view_definitions.columns`). */
export interface ViewColumn {
  /** Unquoted SQL identifier, unique in the view, at most 63 bytes. */
  name: string;
  /**
   * FLAT path pattern of the value: segments of the view's own repeating node and its repeating ancestors
   * are written `id:*`, e.g. `encounter/body_temperature:*\/any_event:*\/temperature|magnitude`.
   * The identity of the column across generations.
   */
  path: string;
  /** The same path relative to the view's occurrence prefix (`/temperature|magnitude`; `` for the node itself). */
  relativePath: string;
  /** Extra `|suffix` spellings read when the main one is absent (e.g. `|media_type` beside `|mediatype`). */
  alternatives?: string[];
  rmType: string;
  sqlType: ColumnSqlType;
  /** Localized name of the node (and the attribute), for the column comment. */
  label: string;
  /** Set when the data point is gone from the template: the column stays, NULL, until pruned. */
  removedAt?: string;
}

/** One view: the template's main view or the view of one repeating node. */
export interface ViewModel {
  /** Unquoted view name (≤ 63 bytes). */
  name: string;
  kind: 'main' | 'repeating';
  /** FLAT path pattern of the repeating node (`encounter/body_temperature:*`); `` for the main view. */
  nodePath: string;
  /** Ids (snake-cased) of the repeating nodes on the way down, outermost first: the index columns. */
  indexColumns: string[];
  /** Path segments from the root to the repeating node (empty for the main view). */
  segments: PathSegment[];
  label: string;
  columns: ViewColumn[];
  /** Set when the repeating node is gone from the template: the view stays, empty, until pruned. */
  removedAt?: string;
}

export interface TemplateViews {
  templateId: string;
  /** FLAT root id (`tree.id`). */
  rootId: string;
  views: ViewModel[];
}
