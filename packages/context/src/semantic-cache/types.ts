import type { CacheValue } from './entry.js';

/** An entry as `getByKey` returns it. */
export interface SemanticCacheEntry {
  /** The key it was put under. */
  readonly key: string;
  /** The value, as JSON gives it back (a fresh copy on every lookup). */
  readonly value: CacheValue;
  /** When it was put (ms since the epoch). */
  readonly createdAt: number;
  /** When it expires (ms since the epoch); absent when it never does. */
  readonly expiresAt?: number;
}

/** What `get` returns on a hit: the entry and how similar its vector is to the one looked up. */
export interface SemanticCacheHit extends SemanticCacheEntry {
  /** Cosine similarity of the query and the entry's vector, ≥ the cache's threshold. */
  readonly score: number;
}

/** What `stats()` reports. */
export interface SemanticCacheStats {
  /** Entries stored and not expired (as `size()`), whoever put them. */
  readonly entries: number;
  /** Lookups (`get`) by this object that found an entry, since it was constructed. */
  readonly hits: number;
  /** Lookups by this object that found none. */
  readonly misses: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  readonly hitRate: number;
  /** Entries this object's puts removed to stay within `maxEntries`. */
  readonly evictions: number;
  /** Expired entries this object removed (puts' sweeps, `purgeExpired`, `delete`). */
  readonly expirations: number;
}
