import { ValidationError } from '@sochdb/core';
import { LRUCache } from 'lru-cache';

/** What `Collection.stats()` reports of the cache of vectors read for exact scans. */
export interface VectorCacheStats {
  /** Vectors held. */
  readonly entries: number;
  /** Bytes they take (float32 components plus a fixed per-entry overhead). */
  readonly bytes: number;
  /** The bound (`vectorCacheMB`), in bytes. */
  readonly maxBytes: number;
  /** Reads served from the cache since the collection was opened. */
  readonly hits: number;
  /** Reads that went to storage. */
  readonly misses: number;
}

/** Default bound: ~21,000 vectors of 384 dimensions, the 1% slice of a 2M-document collection. */
export const DEFAULT_VECTOR_CACHE_MB = 32;
/** Map entry, key string and typed-array header, roughly. */
const ENTRY_OVERHEAD = 96;

export function requireVectorCacheMB(value: unknown): number {
  if (value === undefined) return DEFAULT_VECTOR_CACHE_MB;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(
      `vectorCacheMB must be a number of megabytes ≥ 0, got ${typeof value === 'number' ? value : (JSON.stringify(value) ?? typeof value)}`,
      {
        field: 'vectorCacheMB',
        remediation: `Pass e.g. { vectorCacheMB: 64 }, 0 to cache nothing, or leave it out for ${DEFAULT_VECTOR_CACHE_MB}.`,
      },
    );
  }
  return value;
}

/**
 * Vectors an open collection read from storage for exact scans (its graph keeps no copy of
 * them), least recently used dropped first, within a byte budget. It follows commits as the rest
 * of the state does: the state drops a document's entry whenever it applies a write or delete of
 * it, so an entry is never older than the document the state knows. (A read may see a commit the
 * state has not applied yet; that commit's apply drops the entry.)
 */
export class VectorCache {
  readonly #entries: LRUCache<string, Float32Array> | undefined;
  readonly #maxBytes: number;
  #hits = 0;
  #misses = 0;

  constructor(megabytes: number) {
    this.#maxBytes = Math.floor(megabytes * 2 ** 20);
    this.#entries =
      this.#maxBytes === 0
        ? undefined
        : new LRUCache<string, Float32Array>({ maxSize: this.#maxBytes, sizeCalculation: (vector) => vector.byteLength + ENTRY_OVERHEAD });
  }

  /** The cached vector of `id`, else `read(id)`'s (kept when it has one). */
  get(id: string, read: (id: string) => Float32Array | undefined): Float32Array | undefined {
    const cached = this.#entries?.get(id);
    if (cached !== undefined) {
      this.#hits++;
      return cached;
    }
    this.#misses++;
    const vector = read(id);
    // A vector larger than the whole budget is not kept (lru-cache would refuse it anyway).
    if (vector !== undefined && vector.byteLength + ENTRY_OVERHEAD <= this.#maxBytes) this.#entries?.set(id, vector);
    return vector;
  }

  /** A write or delete of `id` was applied: its vector may have changed. */
  drop(id: string): void {
    this.#entries?.delete(id);
  }

  clear(): void {
    this.#entries?.clear();
  }

  get stats(): VectorCacheStats {
    return {
      entries: this.#entries?.size ?? 0,
      bytes: this.#entries?.calculatedSize ?? 0,
      maxBytes: this.#maxBytes,
      hits: this.#hits,
      misses: this.#misses,
    };
  }
}
