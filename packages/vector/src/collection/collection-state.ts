import type { KeyValueReader, Storage } from '@sochdb/core';
import { insertChecked, labelOf, VectorIndex } from '../hnsw/vector-index.js';
import type { Metadata } from '../metadata/filter.js';
import { LabelColumns, type LabelColumn, type MetadataScan } from '../metadata/label-columns.js';
import { textAnalysisOf, type CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { ByteCache, VectorCache } from './vector-cache.js';
import { chunkOf, type AppliedWrite, type PreparedWrite } from './documents.js';
import { GraphBacklog } from './graph-backlog.js';
import { entryBatches } from './entry-batches.js';
import { lastPart, loadGraph, MASK, newIndex, restoreSavedGraph, StoredVectors, type LoadedGraph } from './saved-graph.js';
import type { GraphMeta } from './saved-meta.js';
import { savedTable, scanRecords, type LoadedRecords } from './loaded-records.js';
import { bucketCount } from '../text/posting-block.js';
import { KeywordIndex } from './keyword-index.js';
import { chunkSegmentId } from './postings.js';
import { decodeHeader, type SegmentHeader } from './segment-header.js';

export interface DocEntry {
  /** Contribution to the collection digest (see `hashDoc`). */
  readonly hash: bigint;
  /** The write that indexed this version (its record names it; see postings.ts). */
  readonly segment: string;
  /**
   * The commit this version is known from: its own commit's LSN, or the LSN of the read it was
   * loaded by (a lower bound). Changes known from an older LSN never replace it.
   */
  readonly lsn: bigint;
}

/** How a state holds vectors: see `CollectionState.keepVectors` and `OpenCollectionOptions.vectorCacheMB`. */
export interface StateOptions {
  readonly keepVectors: boolean;
  readonly vectorCacheMB: number;
  /** See `OpenCollectionOptions.postingsCacheMB`. */
  readonly postingsCacheMB: number;
  /** The collection's graph folder, where the storage has one (see graph-file.ts). */
  readonly graphFolder: string | undefined;
}

/**
 * What an open collection keeps in memory: the HNSW graph, per document its digest hash and write
 * segment, the BM25 index's per-document part (keyword-index.ts: postings stay in storage), and
 * the metadata fields filters have named, as columns by graph label (label-columns.ts: filled from
 * storage on first use). Text and metadata objects are not kept: a search reads its hits' records
 * (see Collection.search). It changes only through `applyInserts`/`applyDelete`, which writers
 * call after their commit.
 */
export class CollectionState {
  #index: VectorIndex | undefined;
  /** Committed writes whose vectors are not all in the graph yet (see graph-backlog.ts). */
  readonly #backlog = new GraphBacklog((write, i, lsn) => this.#insertQueued(write, i, lsn));
  /** Each graph label's document, for filters run once per visited node (an array beats a Map lookup by id there). */
  #entryAt: (DocEntry | undefined)[] = [];
  readonly #columns = new LabelColumns();
  /** BM25: documents' lengths and the stored segments' numbering; queries read postings from storage. */
  keywords: KeywordIndex;
  readonly docs = new Map<string, DocEntry>();
  /**
   * LSNs of deletes, so a version read before a delete never brings the document back (see
   * `applyInserts`); dropped once the commit feed has been followed past them (`forgetDeletes`).
   */
  readonly #deletedAt = new Map<string, bigint>();
  digest = 0n;
  /** The graph changed since it was last saved or loaded. */
  dirty = false;
  /** See GraphSource.untrustedSave. */
  untrustedSave: GraphMeta | undefined;
  /** Loaded after the collection was dropped: its objects answer CollectionNotFoundError (see Collection). */
  dropped = false;

  /** Whether the graph keeps JS copies of its vectors (see `VectorIndexOptions`). */
  readonly keepVectors: boolean;
  /** Vectors read from storage for exact scans, when the graph keeps no copies. */
  readonly vectors: VectorCache;
  /** Postings read by keyword queries, per segment and term. */
  readonly postings: ByteCache<Int32Array>;

  constructor(
    public info: CollectionInfo,
    options: StateOptions,
  ) {
    this.keepVectors = options.keepVectors;
    this.vectors = new VectorCache(options.keepVectors ? 0 : options.vectorCacheMB);
    this.postings = new ByteCache(options.postingsCacheMB);
    this.keywords = new KeywordIndex(textAnalysisOf(info), this.postings);
  }

  /**
   * Frees what the state holds, the native HNSW graph at once (see VectorIndex.close): called when
   * its collection closes or the state is replaced by a reload. Queued graph inserts are dropped;
   * whatever is applied afterwards (a write that was in flight) lands in empty maps and is freed
   * with them.
   */
  release(): void {
    this.#backlog.discard();
    this.vectors.clear();
    this.postings.clear();
    this.#index?.close();
    this.#index = undefined;
    this.#entryAt = [];
    this.#columns.clear();
    this.keywords = new KeywordIndex(textAnalysisOf(this.info), this.postings);
    this.docs.clear();
    this.#deletedAt.clear();
  }

  /** The HNSW graph with every committed vector in it (queued inserts are done first). */
  graph(): VectorIndex | undefined {
    this.catchUp();
    return this.#index;
  }

  /**
   * Sets the graph loaded or rebuilt on open (after every document is tracked). `labels`, when
   * known, are the documents' graph labels in the order they were tracked (`docs`' order): looking
   * each one up again cost half a second at a million documents.
   */
  loadGraph(index: VectorIndex, labels?: Int32Array): void {
    this.#index = index;
    let i = 0;
    for (const [id, entry] of this.docs) {
      const label = labels === undefined ? labelOf(index, id) : labels[i++];
      if (label !== undefined) this.#entryAt[label] = entry;
    }
  }

  /** The document in a graph label; only valid once the graph has caught up (`graph()`). */
  entryAt(label: number): DocEntry | undefined {
    return this.#entryAt[label];
  }

  /** Graph labels in use or freed (labels are below this). */
  get labels(): number {
    return this.#entryAt.length;
  }

  /** The graph label of a document, once the graph holds it (see `graph()`). */
  labelOf(id: string): number | undefined {
    return this.#index && labelOf(this.#index, id);
  }

  /**
   * Metadata fields' values by graph label (see label-columns.ts), those not kept yet filled by
   * `scan` over the stored records; valid as `entryAt` is.
   */
  labelColumns(fields: readonly string[], scan: MetadataScan): Promise<ReadonlyMap<string, LabelColumn>> {
    // Every committed vector in the graph first, so the pass finds each document's label.
    this.catchUp();
    return this.#columns.columns(fields, scan);
  }

  #setEntry(label: number, entry: DocEntry | undefined, metadata: (() => Metadata) | undefined): void {
    this.#entryAt[label] = entry;
    this.#columns.set(label, metadata);
  }

  /** Vectors queued so far: pass to `catchUp` to insert everything queued before now. */
  get queued(): number {
    return this.#backlog.queued;
  }

  /** Inserts queued vectors into the graph, synchronously: all, or those queued before `mark`. */
  catchUp(mark = Infinity): void {
    this.#backlog.catchUp(mark);
  }

  /** Puts document `i` of a write queued at `lsn` into the graph (see GraphBacklog). */
  #insertQueued(write: AppliedWrite, i: number, lsn: bigint): void {
    const { id, vector, metadataJson } = write.docs[i]!;
    const { chunk, d } = chunkOf(write, i);
    const current = this.docs.get(id);
    // Not in the collection as this write's version (a newer one came first, or it was deleted
    // since): nothing of it goes into the graph.
    if (current?.segment !== write.segment || current.lsn !== lsn) return;
    const dimension = vector.length;
    // What the graph keeps of the vector: under cosine the worker's unit vector (see insertChecked).
    insertChecked(this.#index!, id, vector, chunk.unitVectors?.subarray(d * dimension, (d + 1) * dimension) ?? vector);
    this.#setEntry(labelOf(this.#index!, id)!, current, () => JSON.parse(metadataJson) as Metadata);
  }

  /**
   * Documents committed at `lsn` (by this process's write, or read from storage at `lsn` while
   * following other processes' commits): new versions replace old ones everywhere. A document
   * already known from a later LSN, deleted after `lsn`, or already at this version is left alone,
   * so writes and follow-ups may arrive in any order and more than once.
   */
  applyInserts(write: AppliedWrite, lsn: bigint): void {
    const { segment } = write;
    const fresh = write.docs.map(({ id }) => {
      const current = this.docs.get(id);
      if (current && (current.lsn > lsn || current.segment === segment)) return false;
      return (this.#deletedAt.get(id) ?? -1n) <= lsn;
    });
    write.docs.forEach((doc, i) => {
      if (!fresh[i]) return;
      this.#deletedAt.delete(doc.id);
      this.vectors.drop(doc.id);
      const { chunk, d } = chunkOf(write, i);
      const previous = this.docs.get(doc.id);
      if (previous) this.digest = (this.digest - previous.hash) & MASK;
      this.#ensureIndex(doc.vector.length);
      const entry: DocEntry = { hash: chunk.hashes[d]!, segment, lsn };
      this.docs.set(doc.id, entry);
      this.digest = (this.digest + entry.hash) & MASK;
      this.keywords.add(doc.id, segment, chunk.postings.lengths[d]!);
    });
    this.#backlog.push(write, lsn);
    this.dirty = true;
  }

  /**
   * This process's write, committed at `lsn`: applied as any (`applyInserts`), and its postings
   * segments are known as stored without reading their headers.
   */
  applyOwnWrite(write: PreparedWrite, lsn: bigint): void {
    this.applyInserts(write, lsn);
    write.chunks.forEach((chunk, c) => {
      const { terms, docs } = chunk.postings;
      if (docs.length > 0)
        this.keywords.load(chunkSegmentId(write.segment, c), { ids: chunk.ids, origins: [write.segment], buckets: bucketCount(terms.length) });
    });
  }

  /** Records a loaded document. */
  track(id: string, entry: DocEntry): void {
    this.docs.set(id, entry);
  }

  /** A delete committed at `lsn` (or a read at `lsn` found the document gone). */
  applyDelete(id: string, lsn: bigint): void {
    const previous = this.docs.get(id);
    if (previous && previous.lsn > lsn) return;
    if ((this.#deletedAt.get(id) ?? -1n) < lsn) this.#deletedAt.set(id, lsn);
    this.vectors.drop(id);
    if (!previous) return;
    const graph = this.graph();
    const label = graph && labelOf(graph, id);
    if (label !== undefined) this.#setEntry(label, undefined, undefined);
    graph?.delete(id);
    this.keywords.remove(id);
    this.docs.delete(id);
    this.digest = (this.digest - previous.hash) & MASK;
    this.dirty = true;
  }

  /** Deletes at or before `lsn` need no remembering once every commit through it is applied. */
  forgetDeletes(lsn: bigint): void {
    for (const [id, at] of this.#deletedAt) if (at <= lsn) this.#deletedAt.delete(id);
  }

  #ensureIndex(dimension: number): void {
    if (!this.#index) {
      if (this.info.dimension === null) this.info = { ...this.info, dimension };
      this.#index = newIndex(this.info, 1024, this.keepVectors);
    }
  }
}

/**
 * Loads a collection's state. The saved graph is used only when its digest and count equal those
 * of the stored documents (so it reflects exactly this data); otherwise the graph is repaired or
 * rebuilt from the stored vectors. The documents come from the table saved with the graph when
 * `feed` (the storage itself, not a transaction's view) proves none changed since the save, else
 * from every record (loaded-records.ts). The graph loads (mostly file and native work) while the
 * records and the postings segments' headers are read; no postings are read (see keyword-index.ts).
 */
export async function loadState(
  store: KeyValueReader,
  keys: CollectionKeys,
  info: CollectionInfo,
  lsn: bigint,
  options: StateOptions,
  feed?: Storage,
): Promise<CollectionState> {
  const { keepVectors } = options;
  const state = new CollectionState(info, options);
  const vectors = new StoredVectors(store, keys);
  // The saved graph's restore (file and native work) runs while the records are read.
  const saved = info.dimension === null ? Promise.resolve(undefined) : restoreSavedGraph(store, keys, vectors, keepVectors, options.graphFolder);
  // Awaited later: a failure meanwhile must not count as an unhandled rejection (which ends the process).
  saved.catch(() => undefined);
  // The postings segments' headers, read and decoded while the graph loads (mostly native work).
  const headers = readSegmentHeaders(store, keys);
  headers.catch(() => undefined);
  // No document changed since the graph was saved: its table stands for the records (saved-docs.ts).
  const table = feed === undefined || info.dimension === null ? undefined : await savedTable(store, feed, keys, info, lsn, saved).catch(() => undefined);
  let records: LoadedRecords;
  let graph: Promise<LoadedGraph | undefined>;
  if (table !== undefined) {
    records = { ids: table.rows.ids, origins: table.rows.origins, lengths: table.rows.lengths };
    vectors.useKnown(table.rows, table.digest);
    graph = Promise.resolve({ graph: table.graph.graph, saved: true, withoutFile: !table.graph.fromFile, labels: table.rows.labels });
  } else {
    try {
      records = await scanRecords(store, keys);
    } catch (error) {
      await saved.then(
        (restored) => restored?.graph.close(),
        () => undefined,
      );
      throw error;
    }
    const { ids, known } = records;
    graph = info.dimension === null ? Promise.resolve(undefined) : loadGraph(info, vectors, known && { ids, hashes: known }, saved, keepVectors);
    graph.catch(() => undefined);
  }
  const { origins, lengths } = records;
  const index = await graph;
  let segmentHeaders: readonly (readonly [string, SegmentHeader])[];
  try {
    segmentHeaders = await headers;
  } catch (error) {
    // The graph loaded meanwhile is freed, not leaked.
    index?.graph.close();
    throw error;
  }
  state.digest = vectors.digest;
  const track = (id: string, hash: bigint, at: number): void => {
    const segment = at < 0 ? '' : origins[at]!;
    // Documents without text count in BM25's N too, as they did before the collection was closed.
    state.keywords.addLoaded(id, segment, at < 0 ? 0 : lengths[at]!);
    state.track(id, { hash, segment, lsn });
  };
  // The documents are the vectors' (a record without one is half of an interrupted raw write).
  // When the records' hashes were taken as the vectors', they are the records, in the same order.
  const taken = vectors.known;
  if (taken !== undefined) taken.ids.forEach((id, at) => track(id, taken.hashes[at]!, at));
  else {
    const record = recordIndex(records.ids);
    for (const [id, hash] of vectors.hashes) track(id, hash, record(id));
  }
  for (const [segment, header] of segmentHeaders) state.keywords.load(segment, header);

  if (index !== undefined && vectors.size > 0) {
    // The documents were tracked in the order `vectors` lists them, which is the labels' order.
    state.loadGraph(index.graph, index.labels);
    // A rebuilt graph is saved by the next flush or close, so later opens load it; so is one
    // restored from storage where a graph file could be kept, so later opens read that instead.
    if (!index.saved || (index.withoutFile === true && options.graphFolder !== undefined && !keepVectors)) state.dirty = true;
    // Loaded as saved, but its documents' table was not trusted: the next flush saves one.
    else if (table === undefined && feed !== undefined) state.untrustedSave = index.meta;
  } else index?.graph.close();
  return state;
}

/** Finds a record's position by id (the vectors were read, and may not be the records). */
function recordIndex(ids: readonly string[]): (id: string) => number {
  const at = new Map(ids.map((id, i) => [id, i]));
  return (id) => at.get(id) ?? -1;
}

/** The postings segments' headers only: the postings stay in storage (a query reads its terms'). */
async function readSegmentHeaders(store: KeyValueReader, keys: CollectionKeys): Promise<(readonly [string, SegmentHeader])[]> {
  const headers: (readonly [string, SegmentHeader])[] = [];
  for await (const batch of entryBatches(store, keys.range('s'))) for (const [k, v] of batch) headers.push([lastPart(k), decodeHeader(v, keys)]);
  return headers;
}
