import {
  asTransaction,
  CollectionExistsError,
  CollectionNotFoundError,
  DatabaseError,
  deleteRange,
  type KeyValueReader,
  type KeyValueStore,
  type Storage,
  type Transaction,
  type TransactionLike,
} from '@sochdb/core';
import {
  requireBoundedName,
  requireSameSettings,
  resolveConfig,
  storedInfo,
  type CollectionConfig,
  type CollectionInfo,
  type CollectionRef,
  type GraphSettings,
  type OpenCollectionOptions,
} from './collection-config.js';
import { CollectionKeys } from './collection-keys.js';
import { writeReindex } from './reindex.js';
import { rankSearch, type FilterStrategy, type SearchRequest } from './collection-search.js';
import { CollectionFollower } from './collection-follow.js';
import { loadState, type CollectionState, type StateOptions } from './collection-state.js';
import { DEFAULT_POSTINGS_CACHE_MB, requireCacheMB, requireVectorCacheMB, type CacheStats, type VectorCacheStats } from './vector-cache.js';
import { saveGraph } from './saved-graph.js';
import { saveDocsTable } from './saved-docs.js';
import { graphFolder, removeGraphFolder } from './graph-file.js';
import { contentOf, storedVector, type StoredDoc } from './documents.js';
import { normalizeLikeHnswlib } from '../hnsw/doc-vector.js';
import { deleteDocs, dimensionFor, prepareWrite, writeDocs, type DocumentInput, type DocumentPatch, patchedDocument } from './collection-write.js';
import {
  checkGetQuery,
  readDocuments,
  selectedIds,
  type CheckedQuery,
  type CollectionDocument,
  type DeleteSelection,
  type GetQuery,
} from './document-reads.js';
import type { Metadata, MetadataFilter } from '../metadata/filter.js';
import { convertLegacyPostings } from './legacy-postings.js';
import { maintainSegments, needsMaintenance, newSegmentId, type Maintenance } from './postings.js';
import { isArray, requireId, type VectorLike } from '../shared/validate.js';
import { embeddedRequest, embedTexts, requireEmbedding, withVectors, type EmbeddingFunction } from './embedding.js';
import { batchDocuments, type BatchInput } from './batch-input.js';

export type { CollectionDocument, DeleteSelection, GetQuery } from './document-reads.js';
export type { BatchInput } from './batch-input.js';

/** Pass `{ txn }` to make a write part of a caller's transaction. */
export interface WriteOptions {
  /** A core transaction, or the SDK's DatabaseTransaction. */
  readonly txn?: TransactionLike;
}

/** One hit of `Collection.search`: a `SearchHit` with the document's stored fields. */
export interface SearchResult {
  /** The document's id. */
  readonly id: string;
  /** Larger is better; see `SearchHit.score`. Results are sorted by it, descending. */
  readonly score: number;
  /** The document's metadata, `{}` when it has none. */
  readonly metadata: Metadata;
  /** The document's text; absent when it has none. */
  readonly content?: string;
  /** The metric distance (smaller is closer); only on hits that came from the vector ranking. */
  readonly distance?: number;
}

/** How many times a write without `{ txn }` is retried on a write-write conflict. */
const RETRIES = 5;
/** Rankings a search makes at most while the hits' records keep changing under it (see `search`). */
const MAX_SEARCH_ROUNDS = 3;

/** What `Collection.stats()` reports. */
export interface CollectionStats {
  /** Committed documents (as `count()`). */
  readonly documents: number;
  /** The vectors kept from exact scans (all zero where the graph keeps its own copies). */
  readonly vectorCache: VectorCacheStats;
  /** The BM25 postings buckets kept from keyword queries (see `OpenCollectionOptions.postingsCacheMB`). */
  readonly postingsCache: CacheStats;
}

/**
 * A named set of documents (vector + metadata + optional text) in a namespace, persisted in a
 * Storage and searchable by vector (HNSW), keyword (BM25) or both (weighted RRF).
 *
 * Documents and their BM25 postings are written to Storage in one transaction (the caller's, with
 * `{ txn }`); the in-memory graph, BM25 state and filter columns change only once it commits, so an
 * aborted write leaves no trace. Searches see committed documents only — every committed
 * document, whoever wrote it: before a search, count or write answers, the collection follows
 * the storage's commit feed (see CollectionFollower), so a document another process (or another
 * Collection object) committed before the call is found. Open a collection once per process and
 * share the object: each open loads (or repairs, or rebuilds) the graph. `close()` saves the graph
 * so the next open loads it as is.
 *
 * @example
 * ```ts
 * const docs = await Collection.create(storage, { namespace: 'app', name: 'docs', dimension: 3, existOk: true });
 * await docs.insert({ id: 'a', vector: [1, 0, 0], metadata: { lang: 'en' }, content: 'hello world' });
 * const hits = await docs.search({ vector: [1, 0, 0], textQuery: 'hello', k: 5, filter: { lang: 'en' } });
 * await docs.close(); // saves the graph; the storage stays open
 * ```
 */
export class Collection {
  readonly #storage: Storage;
  readonly #keys: CollectionKeys;
  readonly #follow: CollectionFollower;
  #closed = false;
  #embed: EmbeddingFunction | undefined;

  private constructor(storage: Storage, keys: CollectionKeys, follow: CollectionFollower, embed: EmbeddingFunction | undefined) {
    this.#storage = storage;
    this.#keys = keys;
    this.#follow = follow;
    this.#embed = requireEmbedding(embed);
  }

  /** The in-memory state; replaced when the commit feed makes the collection reload. */
  get #state(): CollectionState {
    return this.#follow.state;
  }

  /** Loads the state and starts following the commit feed from the LSN it was loaded at. */
  static async #load(
    storage: Storage,
    keys: CollectionKeys,
    info: CollectionInfo,
    options: OpenCollectionOptions,
    reader: KeyValueReader = storage,
  ): Promise<Collection> {
    const embed = options.embed;
    // The graph keeps no copy of its vectors where exact scans can read them from storage
    // synchronously (see #storedVector): that copy was as large as hnswlib's own.
    const stateOptions: StateOptions = {
      keepVectors: !storage.supports.getSync,
      vectorCacheMB: requireVectorCacheMB(options.vectorCacheMB),
      postingsCacheMB: requireCacheMB(options.postingsCacheMB, 'postingsCacheMB', DEFAULT_POSTINGS_CACHE_MB),
      graphFolder: graphFolder(storage, keys),
    };
    // Postings of earlier versions are converted first (a collection made in a transaction has none).
    if (reader === storage) await convertLegacyPostings(storage, keys);
    const start = await storage.latestLsn();
    const state = await loadState(reader, keys, info, start, stateOptions, reader === storage ? storage : undefined);
    const reload = async (): Promise<CollectionState> => {
      const lsn = await storage.latestLsn();
      // A collection dropped meanwhile keeps its settings and is marked: its objects then refuse
      // every call (until one of that name is created again), instead of answering as if empty.
      const current = await Collection.info(storage, info).catch((error: unknown) => {
        if (error instanceof CollectionNotFoundError) return undefined;
        throw error;
      });
      if (current) await convertLegacyPostings(storage, keys);
      const state = await loadState(storage, keys, current ?? info, lsn, stateOptions, storage);
      state.dropped = current === undefined;
      return state;
    };
    return new Collection(storage, keys, new CollectionFollower(storage, keys, state, start, reload), embed);
  }

  // ── lifecycle (static) ─────────────────────────────────────────────────────────────────────

  /**
   * Creates a collection; `CollectionExistsError` if the namespace already has one of that name,
   * unless `existOk`, which opens that one (when the given dimension, metric and text options match it).
   */
  static async create(storage: Storage, config: CollectionConfig & { readonly namespace: string }, options: WriteOptions = {}): Promise<Collection> {
    const info = resolveConfig(config?.namespace, config);
    requireVectorCacheMB(config.vectorCacheMB); // before anything is written
    requireCacheMB(config.postingsCacheMB, 'postingsCacheMB', DEFAULT_POSTINGS_CACHE_MB);
    const keys = new CollectionKeys(info.namespace, info.name);
    const txn = asTransaction(options.txn);
    let existing: CollectionInfo | undefined;
    const register = async (store: KeyValueStore) => {
      const stored = await store.get(keys.config);
      if (stored && config.existOk === true) {
        existing = requireSameSettings(storedInfo(stored), config);
        return;
      }
      if (stored) {
        throw new CollectionExistsError(`collection '${info.name}' already exists in namespace '${info.namespace}'`, {
          remediation: 'Open it with Collection.open, pass existOk: true to open it when it exists, or delete it first.',
        });
      }
      await store.put(keys.config, JSON.stringify(info));
    };
    if (txn) {
      await register(txn);
      if (existing === undefined) await deleteRange(txn, keys.all);
    } else {
      // Leftovers of a drop interrupted by a crash must not leak into the new collection.
      if (!(await storage.get(keys.config))) await storage.clear(keys.all);
      // In a transaction, two racing creates conflict on the config key: one wins, and the
      // other fails, or with existOk retries and opens what the winner made.
      await storage.transaction(register, config.existOk === true ? { retries: 5 } : {});
    }
    return Collection.#load(storage, keys, existing ?? info, config, txn ?? storage);
  }

  /**
   * Opens a collection, loading its saved graph or rebuilding it from the stored vectors. With
   * `{ embed }`, documents without a vector and `search({ text })` are embedded (see EmbeddingFunction).
   */
  static async open(storage: Storage, ref: CollectionRef, options: OpenCollectionOptions = {}): Promise<Collection> {
    const info = await Collection.info(storage, ref);
    const keys = new CollectionKeys(info.namespace, info.name);
    return Collection.#load(storage, keys, info, options ?? {});
  }

  /** A collection's settings; `CollectionNotFoundError` when it does not exist. */
  static async info(store: KeyValueReader, ref: CollectionRef): Promise<CollectionInfo> {
    const raw = await store.get(CollectionKeys.config(requireBoundedName(ref?.namespace, 'namespace'), requireBoundedName(ref.name, 'name')));
    if (!raw) {
      throw new CollectionNotFoundError(`collection '${ref.name}' does not exist in namespace '${ref.namespace}'`, {
        remediation: 'Create it first (createCollection), or check the namespace and name.',
      });
    }
    return storedInfo(raw);
  }

  /** Whether the collection exists (read through `store`, so a transaction sees its own creates and drops). */
  static async exists(store: KeyValueReader, ref: CollectionRef): Promise<boolean> {
    return (await store.get(CollectionKeys.config(requireBoundedName(ref?.namespace, 'namespace'), requireBoundedName(ref.name, 'name')))) !== undefined;
  }

  /** Every collection of a namespace, by name. */
  static async list(store: KeyValueReader, namespace: string): Promise<CollectionInfo[]> {
    const out: CollectionInfo[] = [];
    for await (const [, v] of store.iterator(CollectionKeys.configs(requireBoundedName(namespace, 'namespace')))) out.push(storedInfo(v));
    return out;
  }

  /**
   * Deletes a collection and all its documents; `CollectionNotFoundError` when missing. Objects
   * open on it, here or in other processes, then throw CollectionNotFoundError (closing them is fine).
   */
  static async drop(storage: Storage, ref: CollectionRef, options: WriteOptions = {}): Promise<void> {
    const txn = asTransaction(options.txn);
    const info = await Collection.info(txn ?? storage, ref);
    const keys = new CollectionKeys(info.namespace, info.name);
    if (txn) {
      await txn.del(keys.config);
      await deleteRange(txn, keys.all);
      return;
    }
    // The config goes first: a crash before the data is cleared leaves only unreachable keys,
    // which `create` clears before reusing the name.
    await storage.del(keys.config);
    await storage.clear(keys.all);
    await removeGraphFolder(graphFolder(storage, keys));
  }

  /** Deletes every collection of a namespace (the SDK's deleteNamespace). */
  static async dropNamespace(storage: Storage, namespace: string, options: WriteOptions = {}): Promise<void> {
    const range = CollectionKeys.namespace(requireBoundedName(namespace, 'namespace'));
    const txn = asTransaction(options.txn);
    if (txn) {
      await deleteRange(txn, range);
      return;
    }
    const dropped = await Collection.list(storage, namespace);
    await storage.clear(range);
    for (const info of dropped) await removeGraphFolder(graphFolder(storage, new CollectionKeys(info.namespace, info.name)));
  }

  // ── properties ─────────────────────────────────────────────────────────────────────────────

  /** The collection's settings as persisted (the dimension is filled in once the first vector fixes it). */
  get info(): CollectionInfo {
    return this.#state.info;
  }
  /** The collection's name within its namespace. */
  get name(): string {
    return this.#state.info.name;
  }
  /** The namespace the collection belongs to. */
  get namespace(): string {
    return this.#state.info.namespace;
  }
  /** null until the first vector is inserted into a collection created without one. */
  get dimension(): number | null {
    return this.#state.info.dimension;
  }

  /** The embedding function this object embeds with, if any. */
  get embedding(): EmbeddingFunction | undefined {
    return this.#embed;
  }

  /** Embeds with `embed` from now on (`undefined`: vectors must be given again). Not stored. */
  useEmbedding(embed: EmbeddingFunction | undefined): void {
    this.#embed = requireEmbedding(embed);
  }

  // ── writes ─────────────────────────────────────────────────────────────────────────────────

  /** Inserts (or replaces, by id) one document; resolves with its id. */
  async insert(doc: DocumentInput, options: WriteOptions = {}): Promise<string> {
    const [id] = await this.#insertAll(await withVectors([doc], this.#embed), options);
    return id!;
  }

  /**
   * Inserts many documents atomically: all or none. Resolves with their ids in order.
   *
   * @example
   * ```ts
   * // Parallel arrays: entry i of each describes document i (an omitted id is generated).
   * const ids = await docs.insertBatch({
   *   vectors: [[1, 0, 0], [0, 1, 0]],
   *   ids: ['a', undefined],
   *   metadatas: [{ lang: 'en' }, { lang: 'fr' }],
   *   contents: ['hello world', 'bonjour le monde'],
   * });
   * ```
   */
  async insertBatch(batch: BatchInput, options: WriteOptions = {}): Promise<string[]> {
    const docs = batchDocuments(batch, this.#embed !== undefined);
    return this.#insertAll(await withVectors(docs, this.#embed), options);
  }

  /**
   * Inserts documents, replacing those whose id exists (what `insert` does: the name users of
   * Chroma and LanceDB look for). One document resolves with its id, an array with theirs, atomically.
   */
  async upsert(doc: DocumentInput, options?: WriteOptions): Promise<string>;
  async upsert(docs: readonly DocumentInput[], options?: WriteOptions): Promise<string[]>;
  async upsert(docs: DocumentInput | readonly DocumentInput[], options: WriteOptions = {}): Promise<string | string[]> {
    if (isArray(docs)) return this.#insertAll(await withVectors(docs, this.#embed), options);
    return this.insert(docs, options);
  }

  /**
   * Changes part of a document: fields not given keep their value. `metadata` is merged into the
   * stored metadata (Chroma's update): a key given replaces that key, a key given as `undefined`
   * removes it, other keys stay. `content: null` removes the text. Resolves false (and writes
   * nothing) when there is no document `id`.
   *
   * @example
   * ```ts
   * await docs.update('a', { metadata: { reviewed: true } }); // keeps its vector, text and other metadata
   * ```
   */
  async update(id: string, patch: DocumentPatch, options: WriteOptions = {}): Promise<boolean> {
    requireId(id);
    // New text without a new vector is embedded (before the transaction: a provider call may be slow).
    const embedded =
      this.#embed && typeof patch?.content === 'string' && patch.vector === undefined
        ? { ...patch, vector: (await embedTexts(this.#embed, [patch.content]))[0] }
        : patch;
    const ids = await this.#insertAll(async (store) => {
      const [record, bytes, text] = await store.getMany([this.#keys.doc(id), this.#keys.vector(id), this.#keys.text(id)]);
      return record && bytes ? [patchedDocument(id, record, bytes, text, embedded)] : [];
    }, options);
    return ids.length > 0;
  }

  /**
   * Deletes documents atomically. One id resolves with whether it existed; an array of ids, or
   * `{ ids?, filter? }` (the ids that match the filter, or every match of the filter), with how
   * many were deleted.
   *
   * @example
   * ```ts
   * await docs.delete('a');                            // true
   * await docs.delete({ filter: { year: { $lt: 2020 } } }); // how many went
   * ```
   */
  async delete(id: string, options?: WriteOptions): Promise<boolean>;
  async delete(selection: DeleteSelection, options?: WriteOptions): Promise<number>;
  async delete(selection: string | DeleteSelection, options: WriteOptions = {}): Promise<boolean | number> {
    if (typeof selection === 'string') return (await this.#deleteWhere(async () => [requireId(selection)], options)) > 0;
    return this.#deleteWhere(selectedIds(selection, this.#keys), options);
  }

  /**
   * One document by id (or null), or the documents a query selects (see `GetQuery`: by ids
   * and/or metadata filter, paged by `limit` with `offset` or the `afterId` cursor). Read from one
   * snapshot of storage; with `{ txn }`, through the transaction (it sees its own writes).
   *
   * @example
   * ```ts
   * const page = await docs.get({ filter: { lang: 'en' }, limit: 100 });
   * const next = await docs.get({ filter: { lang: 'en' }, limit: 100, afterId: page.at(-1)?.id });
   * ```
   */
  async get(id: string, options?: WriteOptions): Promise<CollectionDocument | null>;
  async get(query: GetQuery, options?: WriteOptions): Promise<CollectionDocument[]>;
  async get(selection: string | GetQuery, options: WriteOptions = {}): Promise<CollectionDocument | null | CollectionDocument[]> {
    this.#assertOpen();
    if (typeof selection === 'string') {
      const [doc] = await this.#read(options, checkGetQuery({ ids: [requireId(selection)] }));
      return doc ?? null;
    }
    return this.#read(options, checkGetQuery(selection));
  }

  /** The first `n` documents in id order (default 10): a look at what a collection holds. */
  async peek(n = 10, options: WriteOptions = {}): Promise<CollectionDocument[]> {
    return this.get({ limit: n }, options);
  }

  /** Number of committed documents. */
  async count(): Promise<number> {
    await this.#catchUp();
    return this.#state.docs.size;
  }

  /**
   * What the open collection holds in memory besides its graph, filter columns and BM25
   * per-document state: the caches of vectors read by exact scans and of postings read by keyword queries (see
   * `OpenCollectionOptions.vectorCacheMB` and `postingsCacheMB`).
   *
   * @example
   * ```ts
   * const { vectorCache, postingsCache } = await docs.stats(); // each { entries, bytes, maxBytes, hits, misses }
   * ```
   */
  async stats(): Promise<CollectionStats> {
    await this.#catchUp();
    return { documents: this.#state.docs.size, vectorCache: this.#state.vectors.stats, postingsCache: this.#state.postings.stats };
  }

  /**
   * Vector, keyword or hybrid search (see `SearchRequest`); results by score descending.
   *
   * @example
   * ```ts
   * // Hybrid: both rankings fused, the vector one weighted 0.7; only English documents from 2024 on.
   * const hits = await docs.search({
   *   vector: embedding,
   *   textQuery: 'vector database',
   *   k: 10,
   *   alpha: 0.7,
   *   filter: { lang: 'en', year: { $gte: 2024 } },
   * });
   * ```
   */
  async search(request: SearchRequest): Promise<SearchResult[]> {
    this.#assertOpen();
    const ranked = request !== null && typeof request === 'object' && request.text !== undefined ? await embeddedRequest(request, this.#embed) : request;
    await this.#catchUp();
    for (let round = 1; ; round++) {
      // Ranked in memory; the hits' text is read from storage (it is not kept in memory: ~1 KB a
      // document), and each record must be the version that was ranked — the one whose postings
      // segment the state knows. A record written since (another process's update or delete)
      // means the state is behind: catch up and rank again.
      const state = this.#state;
      const hits = await rankSearch(
        state,
        ranked,
        { storage: this.#storage, keys: this.#keys },
        state.keepVectors ? undefined : (id) => this.#storedVector(id),
      );
      const records = await this.#records(hits.flatMap((hit) => [this.#keys.doc(hit.id), this.#keys.text(hit.id)]));
      const results: SearchResult[] = [];
      let current = true;
      hits.forEach((hit, i) => {
        const entry = this.#state.docs.get(hit.id);
        const raw = records[2 * i];
        const stored = raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as StoredDoc);
        const content = stored && contentOf(stored, records[2 * i + 1]);
        const ranked = (stored?.segment ?? '') === (entry?.segment ?? '');
        if (!ranked) current = false;
        // Built field by field: object spreads cost more than the rest of this per result. The
        // metadata is the record's just read (parsed here, so the caller's own copy): the ranked
        // version's, or when it is not (the search ranks again) a newer one, as the text is.
        const result: { -readonly [K in keyof SearchResult]: SearchResult[K] } = { id: hit.id, score: hit.score, metadata: stored?.metadata ?? {} };
        if (hit.distance !== undefined) result.distance = hit.distance;
        if (content !== undefined) result.content = content;
        results.push(result);
      });
      // A document rewritten on every round (a hot key under constant updates) would keep this
      // from settling: after a few rounds the newer text is returned with the ranked version.
      if (current || round >= MAX_SEARCH_ROUNDS) return results;
      await this.#catchUp();
    }
  }

  /**
   * A document's vector as the graph keeps it (unit-normalised under cosine), read from storage:
   * for exact scans, which the graph's index answers without JS copies of its vectors. Undefined
   * when the document is gone from storage (a delete the state has not followed yet).
   */
  #storedVector(id: string): Float32Array | undefined {
    return this.#state.vectors.get(id, (missing) => this.#readVector(missing));
  }

  #readVector(id: string): Float32Array | undefined {
    const bytes = this.#storage.getSync(this.#keys.vector(id));
    if (bytes === undefined) return undefined;
    const vector = storedVector(bytes);
    if (this.#state.info.metric === 'cosine') normalizeLikeHnswlib(vector);
    return vector;
  }

  /**
   * The records at `keys`. Point reads of a few keys: synchronous where the storage has them
   * (LevelDB's `getSync` costs microseconds; an async read's trip through the thread pool cost
   * about as much as the whole vector search), else one `getMany`.
   */
  #records(keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> | (Buffer | undefined)[] {
    const storage = this.#storage;
    return storage.supports.getSync && storage.getSync !== undefined ? keys.map((key) => storage.getSync(key)) : storage.getMany(keys);
  }

  /** `search({ vector, k, ...options })`: nearest neighbours only, scored by the metric (see `SearchHit.score`). */
  async vectorSearch(
    vector: VectorLike,
    k = 10,
    options: { readonly filter?: MetadataFilter; readonly efSearch?: number; readonly filterStrategy?: FilterStrategy } = {},
  ): Promise<SearchResult[]> {
    return this.search({ ...options, vector, k });
  }

  /** `search({ textQuery, k, ...options })`: BM25 over the documents' `content` only; an empty query is a ValidationError. */
  async keywordSearch(textQuery: string, k = 10, options: { readonly filter?: MetadataFilter } = {}): Promise<SearchResult[]> {
    return this.search({ ...options, textQuery, k });
  }

  /**
   * `search({ vector, textQuery, k, ...options })`: both rankings fused by weighted RRF, the vector
   * one weighted `alpha` (default 0.5). With an empty `textQuery` it is a plain vector search.
   */
  async hybridSearch(
    vector: VectorLike,
    textQuery: string,
    k = 10,
    options: { readonly filter?: MetadataFilter; readonly alpha?: number } = {},
  ): Promise<SearchResult[]> {
    return this.search({ ...options, vector, textQuery, k });
  }

  /**
   * Rebuilds the HNSW graph with new settings (`metric`, `m`, `efConstruction`, `efSearch`) and
   * keeps every document: the stored vectors are indexed again, nothing is re-inserted. The new
   * settings and the dropped saved graph commit atomically; every open collection, in this
   * process or another, rebuilds its graph before its next answer. Costs one graph build over all
   * documents (what opening a collection without a saved graph costs). Resolves with the new settings.
   *
   * @example
   * ```ts
   * await docs.reindex({ metric: 'dot_product', m: 32, efConstruction: 200 });
   * ```
   */
  async reindex(settings: Partial<GraphSettings>, options: WriteOptions = {}): Promise<CollectionInfo> {
    this.#assertOpen();
    const info = await this.#write(options, (store) => writeReindex(store, this.#keys, settings));
    if (asTransaction(options.txn)) return info; // the caller's commit makes every open collection reload
    await this.#follow.catchUp(); // reloads from the config change, rebuilding the graph
    await this.flush(); // saves it, so the next open loads instead of rebuilding
    return info;
  }

  // ── persistence ────────────────────────────────────────────────────────────────────────────

  /**
   * Saves the HNSW graph into Storage if it changed, so the next open need not rebuild it, and
   * compacts every postings segment still waiting for it.
   */
  async flush(): Promise<void> {
    await this.#catchUp();
    if (needsMaintenance(this.#state.keywords)) {
      await this.#write({}, (store, afterCommit) => maintainSegments(store, this.#keys, this.#state.keywords, [], afterCommit, 'all'));
    }
    if (this.#state.dirty) await saveGraph(this.#storage, this.#keys, this.#state, graphFolder(this.#storage, this.#keys), this.#follow);
    else if (this.#state.untrustedSave !== undefined) await saveDocsTable(this.#storage, this.#keys, this.#state, this.#follow);
  }

  /**
   * Saves the graph and releases this object (the Storage stays open): its memory is freed at
   * once, the native HNSW graph included, even while the object itself is still referenced.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    // A dropped collection has nothing to save (saving its graph would leave unreachable keys).
    await this.flush().catch((error: unknown) => {
      if (!(error instanceof CollectionNotFoundError)) throw error;
    });
    if (this.#closed) return; // a concurrent close() finished first
    this.#closed = true;
    this.#follow.release();
  }

  /** True once `close()` has run: every method but `close` then throws DatabaseError. */
  get closed(): boolean {
    return this.#closed;
  }

  /** `close()`, for `await using docs = await Collection.open(...)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Writes the documents `inputsOf` reads (through the write's transaction) as one new postings segment. */
  async #insertAll(
    inputsOf: readonly DocumentInput[] | ((store: KeyValueStore) => Promise<readonly DocumentInput[]>),
    options: WriteOptions,
  ): Promise<string[]> {
    await this.#catchUp();
    // The graph inserts of earlier writes run in the background while this one commits; this one
    // then finishes them, so the queue never holds more than one write's vectors.
    const earlier = this.#state.queued;
    const ids = await this.#write(options, async (store, afterCommit) => {
      const inputs = typeof inputsOf === 'function' ? await inputsOf(store) : inputsOf;
      if (inputs.length === 0) return [];
      // A collection without a dimension takes the first vector's; reading the config through
      // the transaction sees a dimension fixed earlier in it, and writing it makes two racing
      // first inserts conflict instead of disagreeing.
      const info = this.#state.info.dimension === null ? await Collection.info(store, this.#state.info) : this.#state.info;
      const dimension = dimensionFor(info, inputs[0]);
      const write = await prepareWrite(inputs, dimension, info, newSegmentId());
      if (info.dimension === null) await store.put(this.#keys.config, JSON.stringify({ ...info, dimension }));
      await writeDocs(store, this.#keys, write);
      const { docs } = write;
      const ids = docs.map((d) => d.id);
      await maintainSegments(store, this.#keys, this.#state.keywords, ids, afterCommit, maintenanceOf(options));
      afterCommit((lsn) => {
        this.#state.applyOwnWrite(write, lsn);
        this.#follow.ownCommit(lsn, ids);
      });
      return ids;
    });
    this.#state.catchUp(earlier);
    return ids;
  }

  /** Deletes the documents `idsOf` names (read through the write's transaction); resolves with how many existed. */
  async #deleteWhere(idsOf: (store: KeyValueStore) => Promise<readonly string[]>, options: WriteOptions): Promise<number> {
    await this.#catchUp();
    return this.#write(options, async (store, afterCommit) => {
      const gone = await deleteDocs(store, this.#keys, await idsOf(store));
      if (gone.length > 0) {
        await maintainSegments(store, this.#keys, this.#state.keywords, gone, afterCommit, maintenanceOf(options));
        afterCommit((lsn) => {
          for (const id of gone) this.#state.applyDelete(id, lsn);
          this.#follow.ownCommit(lsn, gone);
        });
      }
      return gone.length;
    });
  }

  /** Runs a read at one snapshot (or through the caller's transaction). */
  async #read(options: WriteOptions, query: CheckedQuery): Promise<CollectionDocument[]> {
    const reader = asTransaction(options.txn);
    if (reader) {
      await this.#requireExists(reader);
      return readDocuments(reader, this.#keys, query);
    }
    await using snapshot = this.#storage.snapshot();
    await this.#requireExists(snapshot);
    return await readDocuments(snapshot, this.#keys, query);
  }

  async #write<T>(options: WriteOptions, fn: (store: KeyValueStore, afterCommit: (cb: (lsn: bigint) => void) => void) => Promise<T>): Promise<T> {
    this.#assertOpen();
    // Reading the config in the write's transaction makes a drop that commits first fail this
    // write (a conflict, then CollectionNotFoundError on retry) instead of leaving unreachable keys.
    const checked = async (store: Transaction, afterCommit: (cb: (lsn: bigint) => void) => void): Promise<T> => {
      await this.#requireExists(store);
      store.dependOn?.(this.#keys.config);
      return fn(store, afterCommit);
    };
    const txn = asTransaction(options.txn);
    if (txn) return checked(txn, (cb) => txn.afterCommit(cb));
    return this.#storage.transaction((t) => checked(t, (cb) => t.afterCommit(cb)), { retries: RETRIES });
  }

  /** Follows the commit feed; CollectionNotFoundError once the collection is dropped. */
  async #catchUp(): Promise<void> {
    this.#assertOpen();
    await this.#follow.catchUp();
    if (this.#state.dropped) throw this.#notFound();
  }

  async #requireExists(store: KeyValueReader): Promise<void> {
    if ((await store.get(this.#keys.config)) === undefined) throw this.#notFound();
  }

  #notFound(): CollectionNotFoundError {
    return new CollectionNotFoundError(`collection '${this.name}' in namespace '${this.namespace}' was dropped`, {
      remediation: 'Create it again (createCollection), then open the new one.',
    });
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new DatabaseError(`collection '${this.name}' in namespace '${this.namespace}' is closed`, { remediation: 'Open it again with Collection.open.' });
    }
  }
}

/** A write in the caller's transaction compacts only what it leaves half dead: see `Maintenance`. */
function maintenanceOf(options: WriteOptions): Maintenance {
  return asTransaction(options.txn) ? 'own' : 'write';
}
