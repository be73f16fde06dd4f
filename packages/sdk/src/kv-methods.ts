import type { BytesLike } from '@sochdb/core';
import type { KvBatchedScanOptions, KvPath, KvQuery, KvScan, KvScanOptions, KvStore } from '@sochdb/kv';

/**
 * The key-value methods `Database`, `Namespace` and `DatabaseTransaction` share, each forwarding to
 * the KvStore its subclass gives — the database's own keyspace, the namespace's, or either inside
 * a transaction — so all three offer exactly the same KV API. Keys are given and returned without
 * the store's prefix, and no call reaches keys outside it.
 */
export abstract class KeyValueMethods {
  /** The store every method here goes to (a subclass may throw, e.g. once the database is closed). */
  protected abstract kvStore(): KvStore;

  /**
   * Stores `value` (a string as UTF-8), replacing any previous value. On a Database or Namespace
   * it is committed when the promise resolves; on a DatabaseTransaction it lands at `commit()`.
   * Throws ValidationError for an empty key.
   */
  async put(key: BytesLike, value: BytesLike): Promise<void> {
    return this.kvStore().put(key, value);
  }
  /** The value, or null when the key is missing (an empty value is an empty Buffer). */
  async get(key: BytesLike): Promise<Buffer | null> {
    return this.kvStore().get(key);
  }
  /** Deletes the key (committed on resolve, or at `commit()` in a transaction); a missing key is not an error. */
  async delete(key: BytesLike): Promise<void> {
    return this.kvStore().delete(key);
  }
  /** Like put, with the key built from path segments (`'a/b'` or `['a', 'b']`); see @sochdb/kv. */
  async putPath(path: KvPath, value: BytesLike): Promise<void> {
    return this.kvStore().putPath(path, value);
  }
  /** Like get, at the key built from path segments; null when missing. */
  async getPath(path: KvPath): Promise<Buffer | null> {
    return this.kvStore().getPath(path);
  }
  /** Like delete, at the key built from path segments: that one key only, not the keys under it. */
  async deletePath(path: KvPath): Promise<void> {
    return this.kvStore().deletePath(path);
  }
  /** Entries with `start <= key < end` (to the end when `end` is omitted), in byte order. */
  scan(start: BytesLike, end?: BytesLike, options?: KvScanOptions): KvScan {
    return this.kvStore().scan(start, end, options);
  }
  /** Entries whose key starts with `prefix`; the empty prefix means every key. */
  scanPrefix(prefix: BytesLike, options?: KvScanOptions): KvScan {
    return this.kvStore().scanPrefix(prefix, options);
  }
  /** Like scan, reading from storage `batchSize` entries at a time (default 1,000). */
  scanBatched(start: BytesLike, end?: BytesLike, options?: KvBatchedScanOptions): KvScan {
    return this.kvStore().scanBatched(start, end, options);
  }
  /** Query builder over JSON values under a prefix: `.select([...]).where(...).limit(n).toList() / .toToon()`. */
  query(prefix: BytesLike): KvQuery {
    return this.kvStore().query(prefix);
  }
}
