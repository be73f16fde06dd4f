import type { VectorIndex } from '../hnsw/vector-index.js';
import type { GraphFileRef } from './graph-file.js';

// The shapes of a saved graph's records and of what a save reads, shared by saved-graph.ts and
// saved-docs.ts (types only: neither module needs the other's code for them).

/** What is stored beside a saved graph: the state it was saved from. */
export interface GraphMeta {
  readonly digest: string;
  readonly count: number;
  readonly chunks: number;
  /**
   * 'records': the graph was saved without the vectors of its documents, which load from their
   * records (graph-without-vectors.ts). Absent in graphs saved before: they hold every vector.
   */
  readonly vectors?: 'records';
  /**
   * Chunks of the saved documents' hashes by graph label (u64 LE, 0 for a free label): an open
   * that finds the documents changed since the save (a crash, or a process that never closed)
   * repairs the graph with only the documents that differ. Absent in graphs saved before.
   */
  readonly hashChunks?: number;
  /**
   * The graph file saved with these chunks (graph-file.ts), in the collection's graph folder: an
   * open reads it instead of restoring from the chunks and the records' vectors. Absent when the
   * storage has no folder, the file could not be made, or in graphs saved before.
   */
  readonly file?: GraphFileRef;
  /**
   * The documents' table saved with the graph (saved-docs.ts): an open that can prove no document
   * changed since skips reading every record. Absent when the state's applied LSN was not known at
   * the save, and in graphs saved before.
   */
  readonly docs?: SavedDocsMeta;
}

/** What `saveGraph` reads of a collection's state. */
export interface GraphSource extends DocsSource {
  readonly digest: bigint;
  graph(): VectorIndex | undefined;
  dirty: boolean;
  /** The meta of the save the graph was loaded from, when the open could not trust its documents' table (see saveDocsTable). */
  untrustedSave: GraphMeta | undefined;
}

/** Where a collection's state follows commits from (see CollectionFollower), for the documents' table. */
export interface FollowedState {
  /** Resolves once every commit made before the call is in `state`. */
  catchUp(): Promise<void>;
  /** The state now (a reload replaces it). */
  readonly state: GraphSource;
  /** The LSN through which `state` holds every commit. */
  readonly lsn: bigint;
}

/** Every record's id and hash, in key order. */
export interface KnownHashes {
  readonly ids: readonly string[];
  readonly hashes: readonly bigint[];
}

/** What GraphMeta stores of the table. */
export interface SavedDocsMeta {
  /** The LSN through which the state the table was captured from held every commit (decimal). */
  readonly appliedLsn: string;
  readonly chunks: number;
  /** The write segments the table's entries name by index. */
  readonly segments: readonly string[];
}

/** What a table captures per label. */
export interface DocsSource {
  entryAt(label: number): { readonly hash: bigint; readonly segment: string } | undefined;
  readonly labels: number;
  readonly docs: { readonly size: number; get(id: string): unknown };
  readonly keywords: { lengthOf(id: string): number | undefined };
}
