import {
  asTransaction,
  compareBytes,
  encodeKey,
  prefixed,
  prefixUpperBound,
  toBytes,
  TransactionError,
  ValidationError,
  type BytesLike,
  type EntryIterator,
  type KeyValueStore,
  type Range,
  type Storage,
  type Transaction,
  type TransactionLike,
  type WriteOp,
} from '@sochdb/core';
import type { ToonValue } from '@sochdb/toon';
import { describeKey } from './describe-key.js';
import { pathKey, type KvPath } from './paths.js';
import { KvQuery } from './query.js';
import { KvScan } from './scan.js';

/** Options of `new KvStore(store, options)`. */
export interface KvStoreOptions {
  /**
   * Confine this store to the keys under `prefix` (keys are given and returned without it). Use
   * this rather than wrapping the store in `prefixed()` yourself, so that `{ txn }` calls are
   * confined too. `KvStore.namespaced()` picks a prefix for you.
   */
  readonly prefix?: BytesLike;
}

/**
 * Every method takes `{ txn }` to read and write through a caller's transaction instead.
 *
 * @example
 * ```ts
 * // Two stores, one atomic commit: both writes land when the transaction commits.
 * await storage.transaction(async (txn) => {
 *   await orders.putJson('1001', { item: 42 }, { txn });
 *   await carts.delete('alice', { txn });
 * });
 * ```
 */
export interface KvCallOptions {
  /** A core transaction, or the SDK's DatabaseTransaction. */
  readonly txn?: TransactionLike;
}

export interface KvScanOptions extends KvCallOptions {
  /** Stop after this many entries. */
  readonly limit?: number;
  /** Walk from the end of the range to its start. */
  readonly reverse?: boolean;
}

export interface KvBatchedScanOptions extends KvScanOptions {
  /** Entries fetched from storage per call (default 1000). */
  readonly batchSize?: number;
}

export interface KvClearOptions extends KvCallOptions {
  /** Delete only the keys that start with this (default: every key of this store). */
  readonly prefix?: BytesLike;
}

/** Entries per storage call of `scanBatched`, `scanPrefixBatched`, `query` and `clear` when none is given. */
export const DEFAULT_BATCH_SIZE = 1000;

/**
 * A byte-ordered key-value store over any `KeyValueStore` from @sochdb/core: a `Storage`, a
 * `Transaction`, or a prefixed view. Keys and values are `Uint8Array | string` (UTF-8) in and
 * `Buffer` out; keys are stored as given, so byte order is the order you put in.
 *
 * Over a Storage each write is one atomic commit. Over a Transaction (or with `{ txn }`) reads see
 * the transaction's snapshot plus its own writes, and writes land only when it commits.
 *
 * @example
 * ```ts
 * const storage = await LevelStorage.open('./data/app');
 * const kv = new KvStore(storage);
 * await kv.putJson('users/alice', { name: 'Alice', age: 30 });
 * console.log(await kv.getJson('users/alice')); // { name: 'Alice', age: 30 }
 * console.log(await kv.get('users/bob')); // null: missing
 * ```
 */
export class KvStore {
  readonly #store: KeyValueStore;
  readonly #base: KeyValueStore;
  readonly #prefix: Buffer | undefined;

  constructor(store: KeyValueStore, options: KvStoreOptions = {}) {
    if (store === null || typeof store !== 'object' || typeof store.iterator !== 'function') {
      throw new ValidationError('KvStore needs a Storage, a Transaction or another KeyValueStore', { field: 'store' });
    }
    this.#base = store;
    this.#prefix = options.prefix === undefined ? undefined : Buffer.from(toBytes(options.prefix, 'prefix'));
    this.#store = this.#view(store);
  }

  /**
   * A store confined to its own keyspace, `encodeKey(['kv', namespace, null])`, so several can
   * share one Storage. The trailing `null` makes the prefix prefix-free: namespace 'a' is
   * `… 61 00 00` while any namespace starting with 'a\0' is `… 61 00 FF …`, so no namespace's
   * keys ever fall under another's prefix.
   *
   * @example
   * ```ts
   * const sessions = KvStore.namespaced(storage, 'sessions');
   * const carts = KvStore.namespaced(storage, 'carts');
   * await sessions.put('alice', '{"token":"…"}');
   * console.log(await carts.get('alice')); // null: each namespace has its own keyspace
   * ```
   */
  static namespaced(store: KeyValueStore, namespace: string): KvStore {
    if (typeof namespace !== 'string' || namespace === '') throw new ValidationError('namespace must be a non-empty string', { field: 'namespace' });
    return new KvStore(store, { prefix: encodeKey(['kv', namespace, null]) });
  }

  /** The same store, read and written through `txn` (its snapshot plus its own writes). */
  in(txn: Transaction): KvStore {
    return new KvStore(txn, this.#prefix === undefined ? {} : { prefix: this.#prefix });
  }

  /**
   * Runs `fn` in a new transaction of the underlying Storage: commits when it returns, aborts when
   * it throws. `retries` re-runs it on a `TransactionConflictError`.
   * @throws TransactionError when this store is not over a Storage (e.g. already over a transaction).
   *
   * @example
   * ```ts
   * await kv.transaction(
   *   async (tx) => {
   *     const stock = Number((await tx.get('stock/42'))?.toString() ?? '0');
   *     await tx.put('stock/42', String(stock - 1));
   *     await tx.putJson('orders/1001', { item: 42 });
   *   },
   *   { retries: 3 },
   * );
   * ```
   */
  transaction<T>(fn: (kv: KvStore, txn: Transaction) => Promise<T>, options: { readonly retries?: number } = {}): Promise<T> {
    const storage = this.#base;
    if (!isStorage(storage)) {
      return Promise.reject(
        new TransactionError('this KvStore is not over a Storage, so it cannot begin a transaction', {
          remediation: 'Call transaction() on a KvStore built over the Storage, or use the transaction you already have.',
        }),
      );
    }
    return storage.transaction((txn) => fn(this.in(txn), txn), options);
  }

  /** The value, or `null` when the key is missing. A stored empty value is an empty Buffer, not null. */
  async get(key: BytesLike, options?: KvCallOptions): Promise<Buffer | null> {
    return (await this.#on(options).get(requireKey(key))) ?? null;
  }

  /** Values for many keys in one storage call, `null` where missing. */
  async getMany(keys: readonly BytesLike[], options?: KvCallOptions): Promise<(Buffer | null)[]> {
    if (!Array.isArray(keys)) throw new ValidationError('getMany takes an array of keys', { field: 'keys' });
    // An index loop: map() skips holes, which would reach storage as missing keys.
    const checked = Array.from({ length: keys.length }, (_, i) => requireKey(keys[i] as BytesLike, `keys[${i}]`));
    const values = await this.#on(options).getMany(checked);
    return values.map((v) => v ?? null);
  }

  /**
   * Stores `value` (a string is written as UTF-8), replacing any value the key had. Over a Storage
   * it is committed when the promise resolves; with `{ txn }` it lands when `txn` commits.
   * @throws ValidationError when the key is empty or either argument is not a string or bytes.
   */
  async put(key: BytesLike, value: BytesLike, options?: KvCallOptions): Promise<void> {
    await this.#on(options).put(requireKey(key), value);
  }

  /** Deletes the key; deleting a missing key does nothing. */
  async delete(key: BytesLike, options?: KvCallOptions): Promise<void> {
    await this.#on(options).del(requireKey(key));
  }

  /** Stores `value` as JSON text. */
  async putJson(key: BytesLike, value: ToonValue, options?: KvCallOptions): Promise<void> {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      // A cycle or a bigint is a TypeError and a value nested too deeply for the stack a
      // RangeError (JSON.stringify recurses natively, a few thousand levels at most): each is a
      // value JSON cannot hold. No fixed depth limit: whatever JSON can write is stored.
      throw new ValidationError(`value cannot be written as JSON: ${(error as Error).message}`, {
        field: 'value',
        cause: error,
        remediation: 'Store plain JSON: no cycles, no bigint, and objects nested at most a few hundred levels.',
      });
    }
    if (text === undefined) throw new ValidationError('value cannot be written as JSON', { field: 'value' });
    await this.put(key, text, options);
  }

  /** The value parsed as JSON, or `null` when the key is missing. */
  async getJson(key: BytesLike, options?: KvCallOptions): Promise<ToonValue | null> {
    const value = await this.get(key, options);
    if (value === null) return null;
    try {
      return JSON.parse(value.toString('utf8')) as ToonValue;
    } catch (error) {
      throw new ValidationError(`the value at key ${describeKey(key)} is not JSON`, { field: 'key', cause: error, remediation: 'Read it with get().' });
    }
  }

  /** Stores under a hierarchical path; see `pathKey` for how a path maps to a key. */
  async putPath(path: KvPath, value: BytesLike, options?: KvCallOptions): Promise<void> {
    return this.put(pathKey(path), value, options);
  }

  /** `get` at the key of a hierarchical path (see `pathKey`); `null` when missing. */
  async getPath(path: KvPath, options?: KvCallOptions): Promise<Buffer | null> {
    return this.get(pathKey(path), options);
  }

  /**
   * `delete` at the key of a hierarchical path (see `pathKey`). Deletes that one key only, not the
   * keys under it: use `clear({ prefix: 'users/alice/' })` for a subtree.
   */
  async deletePath(path: KvPath, options?: KvCallOptions): Promise<void> {
    return this.delete(pathKey(path), options);
  }

  /**
   * Entries with `start <= key < end` in byte order; no `end` means to the last key.
   * @throws ValidationError when `end` sorts before `start`.
   *
   * @example
   * ```ts
   * // June's last 20 log lines, newest first: `start` is included, `end` is not.
   * for await (const [key, value] of kv.scan('log/2024-06', 'log/2024-07', { reverse: true, limit: 20 })) {
   *   console.log(key.toString(), value.toString());
   * }
   * ```
   */
  scan(start: BytesLike, end?: BytesLike, options: KvScanOptions = {}): KvScan {
    return this.#scan(rangeOf(start, end), options, undefined);
  }

  /** Entries whose key starts with `prefix`; the empty prefix means every key. */
  scanPrefix(prefix: BytesLike, options: KvScanOptions = {}): KvScan {
    return this.#scan(prefixRange(prefix), options, undefined);
  }

  /** Like `scan`, fetching `batchSize` entries (default 1000) per storage call. */
  scanBatched(start: BytesLike, end?: BytesLike, options: KvBatchedScanOptions = {}): KvScan {
    return this.#scan(rangeOf(start, end), options, requireBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE));
  }

  /**
   * Like `scanPrefix`, fetching `batchSize` entries (default 1000) per storage call.
   *
   * @example
   * ```ts
   * // `batches()` hands over each storage fetch as an array, for bulk work without per-entry awaits.
   * for await (const batch of kv.scanPrefixBatched('events/', { batchSize: 5000 }).batches()) {
   *   await archive(batch.map(([key, value]) => ({ key: key.toString(), value: value.toString() })));
   * }
   * ```
   */
  scanPrefixBatched(prefix: BytesLike, options: KvBatchedScanOptions = {}): KvScan {
    return this.#scan(prefixRange(prefix), options, requireBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE));
  }

  /**
   * Deletes every key of this store (or every key under `options.prefix`) in one atomic write and
   * resolves with how many were deleted. Over a Storage it runs in its own transaction, so it
   * deletes exactly what one snapshot saw; with `{ txn }` the deletes land when `txn` commits.
   */
  async clear(options: KvClearOptions = {}): Promise<number> {
    const range = prefixRange(options.prefix ?? EMPTY);
    if (options.txn === undefined && isStorage(this.#base)) {
      return this.transaction((kv) => kv.clear(options.prefix === undefined ? {} : { prefix: options.prefix }), { retries: 3 });
    }
    const store = this.#on(options);
    const ops: WriteOp[] = [];
    for await (const batch of new KvScan(() => store.iterator(range), DEFAULT_BATCH_SIZE).batches()) {
      for (const [key] of batch) ops.push({ type: 'del', key });
    }
    if (ops.length > 0) await store.batch(ops);
    return ops.length;
  }

  /** A query over the JSON objects stored under `prefix`; see `KvQuery`. */
  query(prefix: BytesLike, options?: KvCallOptions): KvQuery {
    const range = prefixRange(prefix);
    return new KvQuery(() => new KvScan(() => this.#on(options).iterator(range), DEFAULT_BATCH_SIZE));
  }

  #scan(range: Range, options: KvScanOptions, batchSize: number | undefined): KvScan {
    const { limit, reverse } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new ValidationError(`limit must be a non-negative integer, got ${String(limit)}`, { field: 'limit' });
    }
    const full: Range = { ...range, ...(limit === undefined ? {} : { limit }), reverse: reverse === true };
    const store = this.#on(options);
    return new KvScan((): EntryIterator => store.iterator(full), batchSize);
  }

  #on(options: KvCallOptions | undefined): KeyValueStore {
    const txn = asTransaction(options?.txn);
    return txn === undefined ? this.#store : this.#view(txn);
  }

  #view(store: KeyValueStore): KeyValueStore {
    return this.#prefix === undefined ? store : prefixed(store, this.#prefix);
  }
}

const EMPTY = new Uint8Array(0);

function requireKey(key: BytesLike, field = 'key'): Uint8Array {
  const bytes = toBytes(key, field);
  if (bytes.byteLength === 0) throw new ValidationError(`${field} must not be empty`, { field, remediation: 'Use a key of at least one byte.' });
  return bytes;
}

function rangeOf(start: BytesLike, end: BytesLike | undefined): Range {
  const gte = toBytes(start, 'start');
  if (end === undefined) return { gte };
  const lt = toBytes(end, 'end');
  if (compareBytes(gte, lt) > 0) {
    throw new ValidationError('scan end sorts before its start', {
      field: 'end',
      remediation: 'Pass the range as scan(low, high); use { reverse: true } to walk it backwards.',
    });
  }
  return { gte, lt };
}

function prefixRange(prefix: BytesLike): Range {
  const gte = toBytes(prefix, 'prefix');
  const lt = prefixUpperBound(gte);
  return lt === undefined ? { gte } : { gte, lt };
}

function requireBatchSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new ValidationError(`batchSize must be a positive integer, got ${String(size)}`, { field: 'batchSize' });
  return size;
}

function isStorage(store: KeyValueStore): store is Storage {
  return typeof (store as Partial<Storage>).transaction === 'function';
}
