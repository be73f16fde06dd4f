import { asTransaction, DatabaseError, ValidationError, type Storage, type Transaction, type TransactionLike } from '@sochdb/core';
import type { Collection } from '@sochdb/vector';
import { decodeEntry, isExpired, requireKey, requireVector, valueJson, type CacheVector, type StoredEntry } from './entry.js';
import { SemanticCacheKeys } from './keys.js';
import { entryOf, nearestLive } from './lookup.js';
import { openCacheCollection } from './open.js';
import { requireTtl, resolveCacheOptions, type ResolvedCacheOptions, type SemanticCacheOptions, type SemanticCachePutOptions } from './options.js';
import { writeEntry } from './put-entry.js';
import { clearEntries, countLive, deleteEntry, dropCachesOf, purgeExpiredBatch } from './removals.js';
import type { SemanticCacheEntry, SemanticCacheHit, SemanticCacheStats } from './types.js';
import { UseLog } from './use-log.js';

/**
 * Retries of a write that conflicts. Writes of one object run one at a time (see #serially), so
 * only other processes' writes conflict with them (each put writes the entry count).
 */
const RETRIES = 10;
/** Expired entries `purgeExpired` removes per transaction. */
const PURGE_BATCH = 1_000;

/**
 * A cache of JSON values looked up by vector similarity: `get(embedding)` returns the stored entry
 * whose vector is most similar (cosine) to the query, when that similarity reaches the threshold.
 * Typically the answers of an LLM keyed by their prompts' embeddings, so a paraphrased question is
 * answered from the cache.
 *
 * Backed by an HNSW index (a `Collection` of @sochdb/vector named `__semcache:<name>` in the
 * cache's namespace) and storage: entries persist, survive reopening, and are shared by every
 * `SemanticCache` on the same storage, in any process (the collection follows every commit; the
 * entries are read from storage at each lookup). The constructor does no I/O: the storage is
 * opened on the first call, which creates the cache if it does not exist.
 *
 * Expired entries are never returned. They are removed by puts (each removes up to 64 of them, in
 * the put's transaction, before it evicts anything), by `purgeExpired()`, and by `delete`; until
 * then they take space but no lookup sees them, and `size()` does not count them. With
 * `maxEntries`, a put that would exceed it evicts the least recently used entries in the same
 * transaction (a put and a hit are uses; see UseLog for how uses are persisted).
 *
 * Open one object per cache and process, and share it: each object opens the collection, which
 * loads the HNSW graph into memory. `close()` saves the graph so the next open loads it.
 *
 * @example
 * ```ts
 * const cache = new SemanticCache(storage, { namespace: 'app', name: 'answers', dimension: 384, threshold: 0.92, ttlMs: 3_600_000, maxEntries: 10_000 });
 * const hit = await cache.get(await embed(question));
 * const answer = hit ? hit.value : await askTheModel(question);
 * if (!hit) await cache.put(hash(question), answer, await embed(question));
 * ```
 */
export class SemanticCache {
  readonly #storage: Storage;
  readonly #options: ResolvedCacheOptions;
  readonly #keys: SemanticCacheKeys;
  readonly #uses: UseLog;
  #collection: Promise<Collection> | undefined;
  /** The last write queued (see #serially). */
  #writes: Promise<unknown> = Promise.resolve();
  #closed = false;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #expirations = 0;

  /** Checks the options (ValidationError naming a bad one); opens nothing until the first call. */
  constructor(storage: Storage, options: SemanticCacheOptions) {
    if (storage === null || typeof storage !== 'object' || typeof (storage as Partial<Storage>).transaction !== 'function') {
      throw new ValidationError('storage must be a SochDB Storage (LevelStorage, MemoryStorage, db.storage)', { field: 'storage' });
    }
    this.#storage = storage;
    this.#options = resolveCacheOptions(options);
    this.#keys = new SemanticCacheKeys(this.#options.namespace, this.#options.name);
    this.#uses = new UseLog(storage, this.#keys);
  }

  /**
   * Deletes every semantic cache of a namespace: their entries and their collections, in one
   * transaction (the caller's with `{ txn }`). The SDK's `deleteNamespace` must call it beside
   * `Collection.dropNamespace`, or the entries outlive the namespace until a cache of the same
   * name is opened again (which clears them). Open caches on it then fail until reopened.
   */
  static async dropNamespace(storage: Storage, namespace: string, options: { readonly txn?: TransactionLike } = {}): Promise<void> {
    const txn = asTransaction(options.txn);
    await (txn ? dropCachesOf(storage, txn, namespace) : storage.transaction((t: Transaction) => dropCachesOf(storage, t, namespace), { retries: RETRIES }));
  }

  /** The namespace the cache belongs to. */
  get namespace(): string {
    return this.#options.namespace;
  }
  /** The cache's name within its namespace. */
  get name(): string {
    return this.#options.name;
  }
  /** The length of every vector. */
  get dimension(): number {
    return this.#options.dimension;
  }
  /** The least cosine similarity a lookup accepts. */
  get threshold(): number {
    return this.#options.threshold;
  }
  /** The default lifetime of an entry in ms (`Infinity`: none). */
  get ttlMs(): number {
    return this.#options.ttlMs;
  }
  /** The HNSW candidate list size of lookups. */
  get efSearch(): number {
    return this.#options.efSearch;
  }
  /** The bound on the number of entries (`Infinity`: none). */
  get maxEntries(): number {
    return this.#options.maxEntries;
  }
  /** True once `close()` has run: every method but `close` then throws DatabaseError. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Stores `value` under `key` with its vector, replacing any entry of that key (its value,
   * vector and expiry: the replaced vector no longer matches). One transaction also removes up to
   * 64 expired entries and, with `maxEntries`, evicts the least recently used beyond it. `value`
   * is any JSON value (`ValidationError` for undefined, functions, NaN, cycles, class instances).
   */
  async put(key: string, value: unknown, vector: CacheVector, options: SemanticCachePutOptions = {}): Promise<void> {
    this.#assertOpen();
    const id = requireKey(key);
    const json = valueJson(value);
    const checked = requireVector(vector, this.#options.dimension);
    const ttl = options?.ttlMs === undefined ? this.#options.ttlMs : requireTtl(options.ttlMs, 'ttlMs');
    const collection = await this.#open();
    // So eviction sees this process's latest hits; a failed batch only blurs the order (see UseLog).
    await this.#uses.flush().catch(() => undefined);
    const { expired, evicted } = await this.#serially(() =>
      this.#storage.transaction((txn) => writeEntry(txn, collection, this.#keys, { id, json, vector: checked, ttl, maxEntries: this.#options.maxEntries }), {
        retries: RETRIES,
      }),
    );
    this.#expirations += expired;
    this.#evictions += evicted;
  }

  /**
   * The entry whose vector is most similar to `vector`, if that similarity is at least the
   * threshold and the entry has not expired; else null. Counts a hit or a miss, and a hit is a
   * use of the entry (for eviction). An HNSW search (approximate, like every ANN index: on rare
   * occasions it may miss the very nearest entry for a close second).
   */
  async get(vector: CacheVector): Promise<SemanticCacheHit | null> {
    this.#assertOpen();
    const query = requireVector(vector, this.#options.dimension);
    const collection = await this.#open();
    const now = Date.now();
    const hit = await nearestLive(collection, query, now, { ...this.#options, readEntry: (key) => this.#readEntry(key) });
    if (hit === null) {
      this.#misses++;
      return null;
    }
    this.#hits++;
    this.#uses.touch(hit.key, now);
    return hit;
  }

  /** The entry stored under `key`, or null when there is none or it has expired. A use of the entry; not a hit or a miss. */
  async getByKey(key: string): Promise<SemanticCacheEntry | null> {
    this.#assertOpen();
    const id = requireKey(key);
    await this.#open();
    const now = Date.now();
    const entry = await this.#readEntry(id);
    if (entry === undefined || isExpired(entry.x, now)) return null;
    this.#uses.touch(id, now);
    return entryOf(id, entry);
  }

  /** Deletes the entry `key`; resolves true when a live entry was deleted (an expired one is removed too, and resolves false). */
  async delete(key: string): Promise<boolean> {
    this.#assertOpen();
    const id = requireKey(key);
    const collection = await this.#open();
    this.#uses.forget(id);
    const found = await this.#serially(() => this.#storage.transaction((txn) => deleteEntry(txn, collection, this.#keys, id), { retries: RETRIES }));
    if (found === undefined) return false;
    if (isExpired(found.x, Date.now())) {
      this.#expirations++;
      return false;
    }
    return true;
  }

  /** Deletes every entry, atomically (the cache itself stays, empty). */
  async clear(): Promise<void> {
    this.#assertOpen();
    const collection = await this.#open();
    this.#uses.forgetAll();
    await this.#serially(() => this.#storage.transaction((txn) => clearEntries(txn, collection, this.#keys), { retries: RETRIES }));
  }

  /** Removes every expired entry now (puts remove them a few at a time); resolves with how many. */
  async purgeExpired(): Promise<number> {
    this.#assertOpen();
    const collection = await this.#open();
    let total = 0;
    for (;;) {
      const removed = await this.#serially(() =>
        this.#storage.transaction((txn) => purgeExpiredBatch(txn, collection, this.#keys, Date.now(), PURGE_BATCH), { retries: RETRIES }),
      );
      total += removed;
      this.#expirations += removed;
      if (removed < PURGE_BATCH) return total;
    }
  }

  /** Number of entries stored and not expired, whoever put them. */
  async size(): Promise<number> {
    this.#assertOpen();
    await this.#open();
    // The count and the expired entries read at one snapshot (a read-only transaction).
    return this.#storage.transaction((txn) => countLive(txn, this.#keys, Date.now()), { readOnly: true });
  }

  /** `size()`, under the name collections use. */
  async count(): Promise<number> {
    return this.size();
  }

  /** Entries, and this object's hits, misses, evictions and expirations since it was constructed. */
  async stats(): Promise<SemanticCacheStats> {
    const entries = await this.size();
    const lookups = this.#hits + this.#misses;
    return {
      entries,
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      evictions: this.#evictions,
      expirations: this.#expirations,
    };
  }

  /**
   * Writes the pending uses, saves the index (so the next open loads it) and releases this object;
   * the storage stays open. Idempotent; every other method then throws DatabaseError.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#uses.stop();
    const opened = this.#collection;
    this.#collection = undefined;
    const collection = opened === undefined ? undefined : await opened.catch(() => undefined);
    try {
      await this.#uses.flush();
    } finally {
      await collection?.close();
    }
  }

  /** `close()`, for `await using cache = new SemanticCache(...)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Opens the collection once (again after a failed attempt). */
  #open(): Promise<Collection> {
    if (this.#collection === undefined) {
      const opening = openCacheCollection(this.#storage, this.#keys, this.#options);
      this.#collection = opening;
      opening.catch(() => {
        if (this.#collection === opening) this.#collection = undefined;
      });
    }
    return this.#collection;
  }

  /**
   * Runs this object's writes one after another: each put writes the entry count, so puts of one
   * object running at once would only conflict and retry each other.
   */
  #serially<T>(write: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(write, write);
    this.#writes = run.catch(() => undefined);
    return run;
  }

  /** An entry's record, read synchronously where the storage can (LevelDB: microseconds). */
  async #readEntry(key: string): Promise<StoredEntry | undefined> {
    const storage = this.#storage;
    const raw = storage.supports.getSync ? storage.getSync(this.#keys.entry(key)) : await storage.get(this.#keys.entry(key));
    return raw === undefined ? undefined : decodeEntry(raw);
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new DatabaseError(`semantic cache '${this.#options.name}' in namespace '${this.#options.namespace}' is closed`, {
        remediation: 'Create a new SemanticCache on the same storage to use it again.',
      });
    }
  }
}
