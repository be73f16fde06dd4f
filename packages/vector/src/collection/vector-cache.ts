import { ValidationError } from '@sochdb/core';
import { LRUCache } from 'lru-cache';

/** What `Collection.stats()` reports of a cache of values read from storage (vectors, postings). */
export interface CacheStats {
  /** Values held. */
  readonly entries: number;
  /** Bytes they take (their bytes plus a fixed per-entry overhead). */
  readonly bytes: number;
  /** The bound (`vectorCacheMB`, `postingsCacheMB`), in bytes. */
  readonly maxBytes: number;
  /** Reads served from the cache since the collection was opened. */
  readonly hits: number;
  /** Reads that went to storage. */
  readonly misses: number;
}

/** What `Collection.stats()` reports of the cache of vectors read for exact scans. */
export type VectorCacheStats = CacheStats;

/** Default bound: ~21,000 vectors of 384 dimensions, the 1% slice of a 2M-document collection. */
export const DEFAULT_VECTOR_CACHE_MB = 32;
/** Default bound of the postings cache: every bucket of a ~100k-document collection of ~1 KB texts. */
export const DEFAULT_POSTINGS_CACHE_MB = 32;
/** Map entry, key string and typed-array header, roughly. */
const ENTRY_OVERHEAD = 96;

/** A cache bound option (`vectorCacheMB`, `postingsCacheMB`), checked; its default when undefined. */
export function requireCacheMB(value: unknown, field: 'vectorCacheMB' | 'postingsCacheMB', fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(
      `${field} must be a number of megabytes ≥ 0, got ${typeof value === 'number' ? value : (JSON.stringify(value) ?? typeof value)}`,
      { field, remediation: `Pass e.g. { ${field}: 64 }, 0 to cache nothing, or leave it out for ${fallback}.` },
    );
  }
  return value;
}

export function requireVectorCacheMB(value: unknown): number {
  return requireCacheMB(value, 'vectorCacheMB', DEFAULT_VECTOR_CACHE_MB);
}

/**
 * Values an open collection read from storage, least recently used dropped first, within a byte
 * budget: vectors for exact scans (its graph keeps no copy of them) and postings buckets for
 * keyword queries. Vectors follow commits as the rest of the state does: the state drops a
 * document's entry whenever it applies a write or delete of it, so an entry is never older than
 * the document the state knows (a read may see a commit the state has not applied yet; that
 * commit's apply drops the entry). Postings buckets never change once written (a merge writes a
 * new segment), so they need no dropping.
 */
export class ByteCache<V extends ArrayBufferView> {
  readonly #entries: LRUCache<string, V> | undefined;
  readonly #maxBytes: number;
  #hits = 0;
  #misses = 0;

  constructor(megabytes: number) {
    this.#maxBytes = Math.floor(megabytes * 2 ** 20);
    this.#entries =
      this.#maxBytes === 0 ? undefined : new LRUCache<string, V>({ maxSize: this.#maxBytes, sizeCalculation: (value) => value.byteLength + ENTRY_OVERHEAD });
  }

  /** The cached value of `key`, else `read(key)`'s (kept when it has one). */
  get(key: string, read: (key: string) => V | undefined): V | undefined {
    const cached = this.peek(key);
    if (cached !== undefined) return cached;
    const value = read(key);
    if (value !== undefined) this.set(key, value);
    return value;
  }

  /** The cached value of `key` (counted as a hit or a miss). */
  peek(key: string): V | undefined {
    const cached = this.#entries?.get(key);
    if (cached !== undefined) this.#hits++;
    else this.#misses++;
    return cached;
  }

  set(key: string, value: V): void {
    // A value larger than the whole budget is not kept (lru-cache would refuse it anyway).
    if (value.byteLength + ENTRY_OVERHEAD <= this.#maxBytes) this.#entries?.set(key, value);
  }

  /** A write or delete of `id` was applied: its vector may have changed. */
  drop(id: string): void {
    this.#entries?.delete(id);
  }

  clear(): void {
    this.#entries?.clear();
  }

  get stats(): CacheStats {
    return {
      entries: this.#entries?.size ?? 0,
      bytes: this.#entries?.calculatedSize ?? 0,
      maxBytes: this.#maxBytes,
      hits: this.#hits,
      misses: this.#misses,
    };
  }
}

/** Vectors read for exact scans, by document id. */
export class VectorCache extends ByteCache<Float32Array> {}
