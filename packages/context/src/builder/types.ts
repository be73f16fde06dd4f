import type { GraphDirection } from '@sochdb/graph';
import type { SqlParams } from '@sochdb/sql';
import type { Collection, MetadataFilter, VectorLike } from '@sochdb/vector';
import type { TokenCounter, TokenizerName } from './tokenizer.js';

/** How tabular sections are written: compact TOON (default), compact JSON, or Markdown tables. */
export type ContextFormat = 'toon' | 'json' | 'markdown';

/**
 * Which rows a section gives up when it must shrink: `tail_drop` (default) keeps the first rows
 * (results ranked best first), `head_drop` keeps the last (recent history), `proportional` shrinks
 * together with the other `proportional` sections of its priority, each keeping the same share of
 * its rows (the first ones), so one section cannot take the space of the others.
 */
export type TruncationStrategy = 'tail_drop' | 'head_drop' | 'proportional';

/** `db.context(options)`: the budget and how the context is counted and written. */
export interface ContextOptions {
  /** The most tokens the built text may have, counted by `tokenizer`. */
  readonly budget: number;
  /** An OpenAI encoding counted by gpt-tokenizer (default `o200k_base`), or your own counter. */
  readonly tokenizer?: TokenizerName | TokenCounter;
  /** Default `toon`. */
  readonly format?: ContextFormat;
}

/** What every section takes besides its data. */
export interface SectionOptions {
  /** Lower is more important (0 first); default 0. Sections of equal priority keep their order. */
  readonly priority?: number;
  /** Default `tail_drop`. */
  readonly truncation?: TruncationStrategy;
  /** A cap on this section's own tokens; shrinking to it does not take space from later sections. */
  readonly maxTokens?: number;
}

/** A collection search whose hits become the section's rows (`id`, `score`, metadata fields, `content`). */
export interface SearchSource {
  /** A collection, or its name in the context's namespace. */
  readonly collection: Collection | string;
  /** Keyword query (BM25); with `vector` or an embedding collection, the keyword half of hybrid search. */
  readonly query?: string;
  /** Query vector. */
  readonly vector?: VectorLike;
  /** Default 10. */
  readonly k?: number;
  /** Metadata filter, as `Collection.search` takes it. */
  readonly filter?: MetadataFilter;
  /** Vector weight in hybrid fusion (0…1). */
  readonly alpha?: number;
  /** Only these fields of each hit (default: id, score, every metadata field, content). */
  readonly fields?: readonly string[];
}

/** A node's neighbourhood: every node within `depth` hops, with the edge that reached it. */
export interface GraphSource {
  /** The graph namespace (default: the context's namespace). */
  readonly namespace?: string;
  /** The start node. */
  readonly node: string;
  /** Hops, default 1. */
  readonly depth?: number;
  /** Default `out`. */
  readonly direction?: GraphDirection;
  /** Follow only these edge types. */
  readonly edgeTypes?: readonly string[];
}

/** A node's temporal edges valid at an instant. */
export interface TemporalSource {
  /** The graph namespace (default: the context's namespace). */
  readonly namespace?: string;
  /** The node whose edges are listed. */
  readonly node: string;
  /** Unix ms; default now. */
  readonly at?: number;
  /** Only edges of this type. */
  readonly edgeType?: string;
  /** Default `out`. */
  readonly direction?: 'out' | 'in' | 'both';
}

/** Where a section's data comes from: exactly one of these fields. */
export type SectionSource =
  | {
      /** Literal text; its lines are the rows truncation drops. */
      readonly text: string;
    }
  | {
      /** One key-value entry: a row `{ key, value }` (values that hold JSON are parsed). */
      readonly get: string;
    }
  | {
      /** Key-value entries whose key starts with this, in key order: rows `{ key, value }`. */
      readonly prefix: string;
      /** The first `limit` entries. */
      readonly limit?: number;
      /** The last `last` entries instead (still in key order). */
      readonly last?: number;
    }
  | {
      /** A read-only SQL query; its rows are the section's. */
      readonly sql: string;
      /** Its parameters. */
      readonly params?: SqlParams;
    }
  | {
      /** The last rows of a table, by `orderBy` (default: its primary key), oldest first. */
      readonly table: string;
      /** Default 20. */
      readonly last?: number;
      /** The column that orders the rows. */
      readonly orderBy?: string;
    }
  | {
      /** A collection search. */
      readonly search: SearchSource;
    }
  | {
      /** A graph neighbourhood. */
      readonly graph: GraphSource;
    }
  | {
      /** Temporal edges at an instant. */
      readonly temporal: TemporalSource;
    }
  | {
      /** Rows you already have. */
      readonly rows: readonly Readonly<Record<string, unknown>>[];
    };

/** A section as `section(name, spec)` takes it: its source and how it is ranked and truncated. */
export type SectionSpec = SectionSource & SectionOptions;

/** What became of one section in the built context. */
export interface SectionReport {
  /** The name it was added with. */
  readonly name: string;
  /** Tokens of its text counted alone (0 when left out). */
  readonly tokens: number;
  /** Rows (lines, for text) it kept. */
  readonly rows: number;
  /** Rows (lines) its data had. */
  readonly totalRows: number;
  /** True when it kept fewer rows than its data had. */
  readonly truncated: boolean;
}

/** What `build()` returns. */
export interface ContextResult {
  /** The context, sections in priority order, separated by blank lines. */
  readonly text: string;
  /** Tokens of `text` by the context's tokenizer; never above the budget. */
  readonly tokens: number;
  /** The budget it was built for. */
  readonly budget: number;
  /** One report per section, in the order they were added. */
  readonly sections: readonly SectionReport[];
}
