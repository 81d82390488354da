/** A literal a condition compares with: the JSON scalars. */
export type FilterScalar = string | number | boolean | null;

/** The event metadata a filter can read besides the payload. */
export type FilterMetaName = 'key' | 'timestamp' | 'partition';

/** Where a condition reads its value: a path into the payload, or one metadata field. */
export type FilterField =
  | { readonly kind: 'data'; readonly path: readonly string[] }
  | { readonly kind: 'meta'; readonly name: FilterMetaName };

/** Operators that compare a field with one literal. */
export type FilterCompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

/**
 * One node of the filter AST, shared by the compact string form and the JSON form.
 * Nodes are plain, immutable data: they can be compared, stored and sent as they are.
 */
export type FilterNode =
  | { readonly op: 'and' | 'or'; readonly nodes: readonly FilterNode[] }
  | { readonly op: 'not'; readonly node: FilterNode }
  | { readonly op: FilterCompareOp | 'contains'; readonly field: FilterField; readonly value: FilterScalar }
  | { readonly op: 'in' | 'nin'; readonly field: FilterField; readonly values: readonly FilterScalar[] }
  | { readonly op: 'exists'; readonly field: FilterField; readonly value: boolean };

/** A condition node (a leaf of the AST). */
export type FilterCondition = Extract<FilterNode, { field: FilterField }>;

/** What a compiled filter evaluates: the decoded payload and the record's metadata. */
export interface FilterInput {
  /** The decoded event payload (JSON). */
  readonly data: unknown;
  /** `$key`: the record key (bytes are read as UTF-8); `null` for a keyless record; absent when unknown. */
  readonly key?: string | Uint8Array | null;
  /** `$timestamp`: when the record was written, as a Date, epoch milliseconds or an ISO 8601 string. */
  readonly timestamp?: Date | number | string;
  /** `$partition`: the partition the record was read from. */
  readonly partition?: number;
}

/**
 * Limits that bound the cost of parsing, compiling and evaluating a filter from an
 * untrusted client. They apply to each filter as it enters; {@link andFilters} combines
 * filters that have already passed them.
 */
export const FILTER_LIMITS = {
  /** Longest compact-form text, in UTF-16 code units (fits a URL query string). */
  maxTextLength: 8192,
  /** Deepest nesting of and/or/not (a lone condition has depth 1). */
  maxDepth: 32,
  /** Most nodes: each and/or/not, each condition and each value of an `in` list counts one. */
  maxNodes: 500,
  /** Longest string literal, in UTF-16 code units. */
  maxStringLength: 1024,
  /** Most segments in one field path. */
  maxPathSegments: 32,
  /** Longest segment of a field path, in UTF-16 code units. */
  maxSegmentLength: 256,
} as const;
